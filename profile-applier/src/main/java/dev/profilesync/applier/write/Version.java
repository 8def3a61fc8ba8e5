package dev.profilesync.applier.write;

import java.time.Instant;

import dev.profilesync.applier.store.ProfileTable;

/**
 * The version of a write: (observed time in epoch microseconds, event id), compared in that order. Event ids are
 * compared by UTF-16 code units, which is what the store's {@code COLLATE "C"} does for the ASCII ids of the contract,
 * so memory and database agree on every tie.
 */
record Version(long observedMicros, String eventId) implements Comparable<Version> {

    /**
     * Lower than any real write: presence written by a source that cannot delete users (self-service, photo-sync) is
     * written at this version, so it creates a profile that does not exist yet but never undoes a deletion.
     */
    static final Version WEAKEST = new Version(Long.MIN_VALUE, "");

    static Version of(Instant observedAt, String eventId) {
        return new Version(ProfileTable.microsOf(observedAt), eventId);
    }

    @Override
    public int compareTo(Version other) {
        int byTime = Long.compare(observedMicros, other.observedMicros);
        return byTime != 0 ? byTime : eventId.compareTo(other.eventId);
    }

    boolean isNewerThan(Version other) {
        return other == null || compareTo(other) > 0;
    }

    Instant observedAt() {
        return ProfileTable.instantOfMicros(observedMicros);
    }
}
