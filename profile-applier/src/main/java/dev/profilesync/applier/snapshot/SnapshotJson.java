package dev.profilesync.applier.snapshot;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import dev.profilesync.applier.read.ProfileJson;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Rfc3339;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * The value of a snapshot record: what {@link ProfileJson#of} shows (id, fields by JSON name, {@code sync}) plus
 * {@code versions}, written straight to bytes with a streaming generator. A poll publishes thousands of these; building
 * a map per profile and a map per version and handing them to data binding cost more than the rest of the publishing.
 */
final class SnapshotJson {

    /** The streaming factory alone: a generator from a mapper would set up data binding for every profile. */
    private static final JsonFactory JSON = new JsonFactory();

    private SnapshotJson() {
    }

    static byte[] of(StoredProfile profile) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringProperty("id", profile.userId());
            for (Map.Entry<ProfileField, Object> field : profile.fields().entrySet()) {
                json.writeName(field.getKey().jsonName());
                Object value = field.getValue();
                if (value instanceof Boolean flag) {
                    json.writeBoolean(flag);
                } else if (value instanceof List<?> list) {
                    json.writeStartArray();
                    for (Object item : list) {
                        json.writeString(String.valueOf(item));
                    }
                    json.writeEndArray();
                } else {
                    json.writeString(String.valueOf(value));
                }
            }
            json.writeName("sync");
            json.writeStartObject();
            json.writeStringProperty("lastObservedAt", Rfc3339.format(profile.lastObservedAt()));
            json.writeStringProperty("lastAppliedAt", Rfc3339.format(profile.lastAppliedAt()));
            json.writeStringProperty("lastSource", profile.lastSource());
            json.writeStringProperty("lastEventId", profile.lastEventId());
            json.writeEndObject();
            json.writeName("versions");
            json.writeStartObject();
            for (Map.Entry<String, StoredProfile.Version> version : profile.versions().entrySet()) {
                json.writeName(version.getKey());
                json.writeStartObject();
                json.writeStringProperty("observedAt", Rfc3339.format(version.getValue().observedAt()));
                json.writeStringProperty("eventId", version.getValue().eventId());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }
}
