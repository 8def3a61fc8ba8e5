package dev.profilesync.applier.read;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.Rfc3339;

/**
 * A profile as the read API shows it: the id, every stored field by its JSON name, and {@code sync} (when the newest
 * change was observed and applied, its source and event id). The snapshot stream carries the same shape.
 */
public final class ProfileJson {

    private ProfileJson() {
    }

    public static Map<String, Object> of(StoredProfile profile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", profile.userId());
        profile.fields().forEach((field, value) -> body.put(field.jsonName(), value));
        Map<String, Object> sync = new LinkedHashMap<>();
        // formatted here as Instant.toString() would, not by Jackson's java.time formatter: a search page formats 40
        sync.put("lastObservedAt", Rfc3339.format(profile.lastObservedAt()));
        sync.put("lastAppliedAt", Rfc3339.format(profile.lastAppliedAt()));
        sync.put("lastSource", profile.lastSource());
        sync.put("lastEventId", profile.lastEventId());
        body.put("sync", sync);
        return body;
    }
}
