package dev.profilesync.applier.write;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;
import tools.jackson.databind.JsonNode;

/**
 * A profile snapshot turned back into the registers it was read from: every field and the presence with the version
 * the snapshot carries, so a store rebuilt from {@code profile.snapshots} holds the same registers as the one that
 * published them and goes on converging the same way. Written by {@link ProfileWriter} like any poll.
 */
public final class SnapshotRestore {

    private SnapshotRestore() {
    }

    /** The pending row of one snapshot. */
    public static PendingProfile of(JsonNode snapshot) {
        String userId = Identifiers.userId(snapshot.path("id").asString(null))
                .orElseThrow(() -> new IllegalArgumentException("a snapshot without a user id: " + snapshot));
        JsonNode versions = snapshot.path("versions");
        PendingProfile row = new PendingProfile(userId);
        for (Map.Entry<String, JsonNode> register : versions.properties()) {
            Version version = Version.of(Instant.parse(register.getValue().path("observedAt").asString()),
                    register.getValue().path("eventId").asString());
            if (register.getKey().equals("present")) {
                row.markPresent(true, version);
                continue;
            }
            ProfileField field = ProfileField.byJsonName(register.getKey()).orElseThrow(() ->
                    new IllegalArgumentException("a snapshot of " + userId + " has an unknown field "
                            + register.getKey()));
            row.write(field, value(field, snapshot.get(field.jsonName())), version);
        }
        JsonNode sync = snapshot.path("sync");
        row.observed(Version.of(Instant.parse(sync.path("lastObservedAt").asString()),
                sync.path("lastEventId").asString()), sync.path("lastSource").asString());
        return row;
    }

    private static Object value(ProfileField field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (field.kind()) {
            case STRING -> value.asString();
            case BOOLEAN -> value.booleanValue();
            case STRING_LIST -> {
                List<String> entries = new ArrayList<>();
                value.forEach(entry -> entries.add(entry.asString()));
                yield List.copyOf(entries);
            }
        };
    }
}
