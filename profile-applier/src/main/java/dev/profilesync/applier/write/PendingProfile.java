package dev.profilesync.applier.write;

import java.util.Arrays;

import dev.profilesync.events.ProfileField;

/**
 * The writes of one poll for one user, merged field by field before they reach the database. One row per user per
 * statement is also what the batched upsert needs: the same key twice in one statement is an error.
 */
public final class PendingProfile {

    private static final ProfileField[] FIELDS = ProfileField.values();

    private final String userId;
    private final Register[] fields = new Register[FIELDS.length];
    private Register presence;
    private Version latest;
    private String latestSource;

    PendingProfile(String userId) {
        this.userId = userId;
    }

    void write(ProfileField field, Object value, Version version) {
        fields[field.ordinal()] = Register.newer(fields[field.ordinal()], new Register(value, version));
    }

    void markPresent(boolean present, Version version) {
        presence = Register.newer(presence, new Register(present, version));
    }

    /** A deletion: null into every field and false into presence, all at the deletion's version. */
    void delete(Version version) {
        for (ProfileField field : FIELDS) {
            write(field, null, version);
        }
        markPresent(false, version);
    }

    void observed(Version version, String source) {
        if (version.isNewerThan(latest)) {
            latest = version;
            latestSource = source;
        }
    }

    String userId() {
        return userId;
    }

    Register field(ProfileField field) {
        return fields[field.ordinal()];
    }

    /** Null when no accepted write set presence (every field of every change was refused). */
    Register presence() {
        return presence;
    }

    Version latest() {
        return latest;
    }

    String latestSource() {
        return latestSource;
    }

    /** True when a write of this batch changes anything the store keeps. */
    boolean hasWrites() {
        return presence != null || Arrays.stream(fields).anyMatch(r -> r != null);
    }
}
