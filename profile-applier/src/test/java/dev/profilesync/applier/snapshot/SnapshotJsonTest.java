package dev.profilesync.applier.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.profilesync.applier.read.ProfileJson;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ProfileField;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The streamed snapshot is the read API's representation plus the versions, value for value. */
class SnapshotJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
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
}
