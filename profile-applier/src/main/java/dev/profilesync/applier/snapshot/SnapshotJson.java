package dev.profilesync.applier.snapshot;

import static dev.profilesync.events.JsonBytes.ascii;

import java.util.HashMap;
import java.util.Map;

import dev.profilesync.applier.read.ProfileJson;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.JsonBytes;
import dev.profilesync.events.ProfileField;

/**
 * The value of a snapshot record: what {@link ProfileJson#of} shows (id, fields by JSON name, {@code sync}) plus
 * {@code versions}, written straight to UTF-8 bytes ({@link JsonBytes}, the text Jackson's generator writes). The
 * applier publishes one for every user a poll writes, on its consumer threads; through Jackson's streaming generator
 * this was a third of those threads' time in a full load (JFR), so names are encoded once and timestamps go to bytes
 * without a string in between.
 */
final class SnapshotJson {

    /** {@code ,"jsonName":} of every field, by ordinal. */
    private static final byte[][] FIELD_NAMES = new byte[ProfileField.values().length][];
    /** {@code "register":} of the registers the store versions (present and every field), by name. */
    private static final Map<String, byte[]> REGISTER_NAMES = new HashMap<>();
    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] SYNC = ascii(",\"sync\":{\"lastObservedAt\":");
    private static final byte[] LAST_APPLIED_AT = ascii(",\"lastAppliedAt\":");
    private static final byte[] LAST_SOURCE = ascii(",\"lastSource\":");
    private static final byte[] LAST_EVENT_ID = ascii(",\"lastEventId\":");
    private static final byte[] VERSIONS = ascii("},\"versions\":{");
    private static final byte[] OBSERVED_AT = ascii("{\"observedAt\":");
    private static final byte[] EVENT_ID = ascii(",\"eventId\":");

    static {
        for (ProfileField field : ProfileField.values()) {
            FIELD_NAMES[field.ordinal()] = ascii(",\"" + field.jsonName() + "\":");
            REGISTER_NAMES.put(field.jsonName(), ascii("\"" + field.jsonName() + "\":"));
        }
        REGISTER_NAMES.put("present", ascii("\"present\":"));
    }

    private SnapshotJson() {
    }

    static byte[] of(StoredProfile profile) {
        JsonBytes json = JsonBytes.local();
        json.raw(ID).string(profile.userId());
        for (Map.Entry<ProfileField, Object> field : profile.fields().entrySet()) {
            json.raw(FIELD_NAMES[field.getKey().ordinal()]).value(field.getValue());
        }
        json.raw(SYNC).instant(profile.lastObservedAt());
        json.raw(LAST_APPLIED_AT).instant(profile.lastAppliedAt());
        json.raw(LAST_SOURCE).string(profile.lastSource());
        json.raw(LAST_EVENT_ID).string(profile.lastEventId());
        json.raw(VERSIONS);
        boolean first = true;
        for (Map.Entry<String, StoredProfile.Version> version : profile.versions().entrySet()) {
            if (!first) {
                json.put(',');
            }
            first = false;
            byte[] name = REGISTER_NAMES.get(version.getKey());
            if (name != null) {
                json.raw(name);
            } else {
                json.string(version.getKey()).put(':');
            }
            json.raw(OBSERVED_AT).instant(version.getValue().observedAt());
            json.raw(EVENT_ID).string(version.getValue().eventId()).put('}');
        }
        return json.put('}').put('}').toBytes();
    }
}
