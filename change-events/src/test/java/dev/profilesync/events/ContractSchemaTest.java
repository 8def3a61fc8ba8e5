package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The published JSON Schema and the Java contract must accept and reject exactly the same changes. */
class ContractSchemaTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String DATA_ID = "https://profile-sync.dev/schemas/user-change-data.v1.json";
    private static final String BATCH_ID = "https://profile-sync.dev/schemas/change-batch.v1.json";

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemas(Map.of(DATA_ID, resource("user-change-data.v1.schema.json"), BATCH_ID,
                    resource("change-batch.v1.schema.json"))));

    @Test
    void schemaNamesEveryProfileFieldAndNothingElse() {
        JsonNode properties = MAPPER.readTree(resource("user-change-data.v1.schema.json"))
                .at("/$defs/fields/properties");
        Set<String> inSchema = Set.copyOf(properties.propertyNames());
        Set<String> inJava = Arrays.stream(ProfileField.values()).map(ProfileField::jsonName)
                .collect(Collectors.toSet());
        assertThat(inSchema).isEqualTo(inJava);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"fields\":{\"jobTitle\":\"Engineer\"}}",
        "{\"fields\":{\"jobTitle\":null,\"skills\":[\"kafka\",\"java\"],\"accountEnabled\":false}}",
        "{\"fields\":{\"department\":\"" + "x" + "\"}}",
        "{\"fields\":{}}",
        "{\"fields\":{\"favouriteColour\":\"blue\"}}",
        "{\"fields\":{\"jobTitle\":42}}",
        "{\"fields\":{\"skills\":\"kafka\"}}",
        "{\"fields\":{\"skills\":[1]}}",
        "{\"fields\":{\"accountEnabled\":\"yes\"}}",
        "{\"fields\":{\"pronouns\":\"0123456789012345678901234567890123\"}}",
        "{\"fields\":{\"jobTitle\":\"x\"},\"extra\":1}",
        "{}",
        "[]"
    })
    void javaContractAgreesWithPublishedSchema(String body) {
        JsonNode node = MAPPER.readTree(body);
        Schema schema = registry.getSchema(com.networknt.schema.SchemaLocation.of(DATA_ID));
        boolean schemaAccepts = schema.validate(node).isEmpty();

        List<Violation> violations = new ArrayList<>();
        if (node.isObject()) {
            node.propertyNames().stream().filter(name -> !name.equals("fields"))
                    .forEach(name -> violations.add(new Violation("/" + name, "unknown-property", name)));
            ChangedFields.parse(node.path("fields"), "/fields", violations);
        } else {
            violations.add(new Violation("", "invalid-type", "not an object"));
        }
        assertThat(violations.isEmpty()).as("Java accepts %s", body).isEqualTo(schemaAccepts);
    }

    @Test
    void batchSchemaAcceptsTheReadmeExample() {
        String body = """
                {"source":"hr-system","changes":[
                  {"userId":"6e7b768e-07e2-4810-8459-485f84f8f204","fields":{"jobTitle":"Staff Engineer","mobilePhone":null}},
                  {"userId":"1d2a3b4c-0000-4000-8000-00000000abcd","deleted":true,"observedAt":"2026-11-25T09:00:00Z"}]}
                """;
        Schema schema = registry.getSchema(com.networknt.schema.SchemaLocation.of(BATCH_ID));
        assertThat(schema.validate(MAPPER.readTree(body))).isEmpty();
        assertThat(schema.validate(MAPPER.readTree("{\"changes\":[{\"userId\":\"nope\",\"fields\":{}}]}")))
                .isNotEmpty();
    }

    private static String resource(String name) {
        try (InputStream in = UserEventCodec.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
