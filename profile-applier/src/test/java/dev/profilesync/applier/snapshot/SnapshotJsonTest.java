package dev.profilesync.applier.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.profilesync.applier.read.ProfileJson;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ProfileField;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot is the read API's representation plus the versions, value for value, and byte for byte what Jackson's
 * streaming generator writes for the same profile.
 */
class SnapshotJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonFactory GENERATORS = new JsonFactory();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Test
    void theStreamedSnapshotIsTheReadRepresentationWithTheVersions() {
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        fields.put(ProfileField.DISPLAY_NAME, "Ada \"the first\" Lovelace, \\ né");
        fields.put(ProfileField.ACCOUNT_ENABLED, false);
        fields.put(ProfileField.BUSINESS_PHONES, List.of("+47 1", "ext. 9"));
        Map<String, StoredProfile.Version> versions = new LinkedHashMap<>();
        versions.put("present", new StoredProfile.Version(Instant.parse("2026-11-25T08:00:00.123456Z"), "e-1"));
        versions.put("displayName", new StoredProfile.Version(Instant.parse("2026-11-25T08:00:01Z"), "e-2"));
        versions.put("jobTitle", new StoredProfile.Version(Instant.parse("2026-11-25T08:00:02.5Z"), "e-3"));
        StoredProfile profile = new StoredProfile("00000000-0000-4000-8000-00000000000a", true, fields,
                Instant.parse("2026-11-25T08:00:02.5Z"), "e-3", "graph", Instant.parse("2026-11-25T08:00:03.001Z"),
                501, versions);

        Map<String, Object> expected = new LinkedHashMap<>(ProfileJson.of(profile));
        Map<String, Object> expectedVersions = new LinkedHashMap<>();
        versions.forEach((register, version) -> expectedVersions.put(register,
                Map.of("observedAt", version.observedAt().toString(), "eventId", version.eventId())));
        expected.put("versions", expectedVersions);

        Map<String, Object> streamed = JSON.readValue(SnapshotJson.of(profile), MAP);
        assertThat(streamed).isEqualTo(JSON.readValue(JSON.writeValueAsBytes(expected), MAP));
        assertThat(streamed).containsEntry("displayName", "Ada \"the first\" Lovelace, \\ né")
                .containsEntry("accountEnabled", false)
                .containsEntry("businessPhones", List.of("+47 1", "ext. 9"));
    }

    @Property(tries = 2000)
    void writesWhatJacksonWrites(@ForAll("profiles") StoredProfile profile) {
        assertThat(new String(SnapshotJson.of(profile), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(jackson(profile), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<StoredProfile> profiles() {
        // any text but lone surrogates, which Jackson refuses to write
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        Arbitrary<Instant> instants = Arbitraries.longs().between(-62_000_000_000L, 253_000_000_000L)
                .flatMap(seconds -> Arbitraries.of(0, 1, 123_000_000, 123_456_000, 123_456_789)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
        Arbitrary<Object> values = Arbitraries.oneOf(text.map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                text.list().ofMaxSize(3).map(Object.class::cast));
        Arbitrary<Map<ProfileField, Object>> fields = Arbitraries.maps(Arbitraries.of(ProfileField.class), values)
                .ofMaxSize(8).map(map -> {
                    Map<ProfileField, Object> ordered = new EnumMap<>(ProfileField.class);
                    ordered.putAll(map);
                    return ordered;
                });
        Arbitrary<String> registers = Arbitraries.oneOf(Arbitraries.of(ProfileField.class).map(ProfileField::jsonName),
                Arbitraries.just("present"), text);
        Arbitrary<Map<String, StoredProfile.Version>> versions = Arbitraries.maps(registers,
                Combinators.combine(instants, text).as(StoredProfile.Version::new)).ofMaxSize(5);
        return Combinators.combine(text, fields, instants, text, text, instants, versions)
                .as((id, values2, observed, eventId, source, applied, versioned) -> new StoredProfile(id, true,
                        values2, observed, eventId, source, applied, 0, versioned));
    }

    /** The snapshot as Jackson's streaming generator writes it, which is how the applier wrote it until 2026-11-27. */
    private static byte[] jackson(StoredProfile profile) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = GENERATORS.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringProperty("id", profile.userId());
            for (Map.Entry<ProfileField, Object> field : profile.fields().entrySet()) {
                json.writeName(field.getKey().jsonName());
                if (field.getValue() instanceof Boolean flag) {
                    json.writeBoolean(flag);
                } else if (field.getValue() instanceof List<?> list) {
                    json.writeStartArray();
                    for (Object item : list) {
                        json.writeString(String.valueOf(item));
                    }
                    json.writeEndArray();
                } else {
                    json.writeString(String.valueOf(field.getValue()));
                }
            }
            json.writeName("sync");
            json.writeStartObject();
            json.writeStringProperty("lastObservedAt", profile.lastObservedAt().toString());
            json.writeStringProperty("lastAppliedAt", profile.lastAppliedAt().toString());
            json.writeStringProperty("lastSource", profile.lastSource());
            json.writeStringProperty("lastEventId", profile.lastEventId());
            json.writeEndObject();
            json.writeName("versions");
            json.writeStartObject();
            for (Map.Entry<String, StoredProfile.Version> version : profile.versions().entrySet()) {
                json.writeName(version.getKey());
                json.writeStartObject();
                json.writeStringProperty("observedAt", version.getValue().observedAt().toString());
                json.writeStringProperty("eventId", version.getValue().eventId());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }
}
