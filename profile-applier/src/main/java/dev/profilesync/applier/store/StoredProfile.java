package dev.profilesync.applier.store;

import java.time.Instant;
import java.util.Map;

import dev.profilesync.events.ProfileField;

/**
 * A profile as the store holds it.
 *
 * @param present false when the user's latest write is a deletion
 * @param fields the non-null fields
 * @param lastObservedAt when the newest applied change was observed at its source
 * @param lastAppliedAt when that change was written to the store
 * @param lastDelayMillis the difference of the two
 * @param versions the version of every register that has one: {@code present} and fields by JSON name (a cleared
 *        field keeps the version of the write that cleared it)
 */
public record StoredProfile(String userId, boolean present, Map<ProfileField, Object> fields, Instant lastObservedAt,
        String lastEventId, String lastSource, Instant lastAppliedAt, long lastDelayMillis,
        Map<String, Version> versions) {

    /** The version of a register: when the write that set it was observed, and its event id. */
    public record Version(Instant observedAt, String eventId) {
    }
}
