package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldsFastPathTest {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"{\"fields\":{\"jobTitle\":\"Engineer\"}}",
        " { \"fields\" : { \"jobTitle\" : \"Eng\\u00e9neer\" , \"mobilePhone\" : null } } ",
        "{\"fields\":{\"skills\":[\"kafka\",\"java\"],\"accountEnabled\":false,\"interests\":[]}}",
        "{\"fields\":{\"skills\":null,\"accountEnabled\":true,\"displayName\":\"\"}}"})
    void readsValidValuesExactlyAsTheTreePath(String json) {
        Map<ProfileField, Object> fast = FieldsFastPath.read(MAPPER, bytes(json));
        assertThat(fast).isNotNull().isEqualTo(treePath(json));
    }

    @ParameterizedTest
    @MethodSource("unusualValues")
    void givesUpOnAnythingElseSoTheTreePathCanExplain(String json) {
        assertThat(FieldsFastPath.read(MAPPER, bytes(json))).as("fast path result for %s", json).isNull();
    }

    static List<String> unusualValues() {
        List<String> values = new ArrayList<>(List.of("{\"fields\":{}}", "{}", "[]", "null", "\"fields\"", "",
                "{\"fields\":{\"nope\":\"x\"}}", "{\"fields\":{\"jobTitle\":1}}", "{\"fields\":{\"jobTitle\":true}}",
                "{\"fields\":{\"jobTitle\":\"a\",\"jobTitle\":\"b\"}}", "{\"fields\":{\"skills\":[1]}}",
                "{\"fields\":{\"skills\":\"kafka\"}}", "{\"fields\":{\"skills\":[[\"x\"]]}}",
                "{\"fields\":{\"accountEnabled\":\"true\"}}", "{\"fields\":{\"jobTitle\":\"a\"},\"extra\":1}",
                "{\"extra\":1,\"fields\":{\"jobTitle\":\"a\"}}", "{\"fields\":{\"jobTitle\":\"a\"}}{}",
                "{\"fields\":{\"jobTitle\":\"a\"}", "{\"fields\":{\"jobTitle\":\"a\"}} x",
                "{\"fields\":{\"jobTitle\":{\"a\":1}}}", "{\"fields\":[\"jobTitle\"]}",
                "{\"fields\":{\"jobTitle\":\"a\"},\"fields\":{\"city\":\"b\"}}"));
        values.add("{\"fields\":{\"jobTitle\":\"" + "x".repeat(ProfileField.JOB_TITLE.maxLength() + 1) + "\"}}");
        values.add("{\"fields\":{\"skills\":[\"" + "x".repeat(ProfileField.SKILLS.maxLength() + 1) + "\"]}}");
        values.add("{\"fields\":{\"skills\":[" + "\"s\",".repeat(ProfileField.MAX_LIST_ENTRIES) + "\"s\"]}}");
        return values;
    }

    private static Map<ProfileField, Object> treePath(String json) {
        JsonNode data = MAPPER.readTree(bytes(json));
        List<Violation> violations = new ArrayList<>();
        Map<ProfileField, Object> fields = ChangedFields.parse(data.path("fields"), "/fields", violations);
        assertThat(violations).isEmpty();
        assertThat(data.propertyNames()).containsExactly("fields");
        return fields;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
