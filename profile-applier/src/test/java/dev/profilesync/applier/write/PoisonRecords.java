package dev.profilesync.applier.write;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;

/**
 * Object mother of poison: records of {@code directory.user-changes} that can never be applied, each with the reason
 * the applier must dead-letter it for. Every poison carries {@code department: "poison"} where it carries fields at
 * all, so a poison applied by mistake shows in the store.
 */
final class PoisonRecords {

    static final String REFUSED_BY_THE_STORE = "refused-by-the-store";
    static final String UNCLASSIFIED_FAILURE = "unclassified-failure";
    private static final String POISON_FIELDS = "{\"fields\":{\"department\":\"poison\"}}";

    /** A kind of poison: its name, the reason it is dead-lettered for, and how to make one for a user. */
    record Kind(String name, String reason, Function<String, ProducerRecord<String, byte[]>> maker) {

        ProducerRecord<String, byte[]> record(String victim) {
            return maker.apply(victim);
        }
    }

    private PoisonRecords() {
    }

    static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("no-headers", "missing-header", user -> raw(user, Map.of(), POISON_FIELDS)));
        kinds.add(header("empty-specversion", "missing-header", "ce_specversion", ""));
        kinds.add(header("wrong-specversion", "unsupported-specversion", "ce_specversion", "0.3"));
        kinds.add(header("no-id", "missing-header", "ce_id", null));
        kinds.add(header("id-with-spaces", "invalid-id", "ce_id", "an id with spaces"));
        kinds.add(header("id-too-long", "invalid-id", "ce_id", "x".repeat(200)));
        kinds.add(header("source-not-a-name", "invalid-source", "ce_source", "bad source!"));
        kinds.add(new Kind("source-not-utf8", "invalid-source", user -> {
            ProducerRecord<String, byte[]> record = valid(user, POISON_FIELDS);
            record.headers().remove("ce_source").add("ce_source", new byte[] {(byte) 0xff, (byte) 0xfe});
            return record;
        }));
        kinds.add(header("no-type", "missing-header", "ce_type", null));
        kinds.add(header("unknown-type", "unknown-type", "ce_type", "com.example.other.v1"));
        kinds.add(header("subject-not-a-guid", "invalid-subject", "ce_subject", "not-a-guid"));
        kinds.add(new Kind("key-not-the-subject", "key-mismatch", user -> withKey(valid(user, POISON_FIELDS),
                UUID.randomUUID().toString())));
        kinds.add(new Kind("empty-key", "key-mismatch", user -> withKey(valid(user, POISON_FIELDS), "")));
        kinds.add(header("time-not-rfc3339", "invalid-time", "ce_time", "yesterday"));
        kinds.add(header("time-in-2300", "time-out-of-range", "ce_time", "2300-01-01T00:00:00Z"));
        kinds.add(header("time-before-1970", "time-out-of-range", "ce_time", "1969-12-31T23:59:59Z"));
        kinds.add(header("text-content-type", "unsupported-content-type", "content-type", "text/plain"));
        kinds.add(value("nul-in-text", "schema-invalid", "{\"fields\":{\"department\":\"a\\u0000b\"}}"));
        kinds.add(value("lone-surrogate", "schema-invalid", "{\"fields\":{\"department\":\"a\\ud800b\"}}"));
        kinds.add(value("escape-sequence", "schema-invalid", "{\"fields\":{\"department\":\"\\u001b[31mred\"}}"));
        kinds.add(value("number-for-text", "schema-invalid", "{\"fields\":{\"department\":42}}"));
        kinds.add(value("huge-number", "schema-invalid",
                "{\"fields\":{\"department\":123456789012345678901234567890123456789012345678901234567890}}"));
        kinds.add(value("deep-nesting", "malformed-json",
                "{\"fields\":{\"skills\":" + "[".repeat(5000) + "]".repeat(5000) + "}}"));
        kinds.add(value("malformed-json", "malformed-json", "{\"fields\":{\"department\":"));
        kinds.add(value("empty-value", "schema-invalid", ""));
        kinds.add(value("unknown-field", "schema-invalid", "{\"fields\":{\"shoeSize\":\"42\"}}"));
        kinds.add(value("unknown-property", "schema-invalid", "{\"fields\":{\"department\":\"poison\"},\"x\":1}"));
        kinds.add(value("at-the-64KiB-limit", "schema-invalid", padded(UserEventCodec.MAX_VALUE_BYTES)));
        kinds.add(value("past-the-64KiB-limit", "oversized", padded(UserEventCodec.MAX_VALUE_BYTES + 1)));
        kinds.add(new Kind("refused-by-the-store", "store-refused", user -> valid(user,
                "{\"fields\":{\"department\":\"poison\",\"displayName\":\"" + REFUSED_BY_THE_STORE + "\"}}")));
        return kinds;
    }

    /** A value the store fails for a reason that is neither transient nor a refused value (PostgreSQL only). */
    static Kind unclassifiedStoreFailure() {
        return new Kind("unclassified-store-failure", "store-refused", user -> valid(user,
                "{\"fields\":{\"department\":\"poison\",\"officeLocation\":\"" + UNCLASSIFIED_FAILURE + "\"}}"));
    }

    /**
     * What an operator might add to the store: a check constraint (SQLState 23514: a refused value) and, on
     * PostgreSQL, a trigger raising a plain exception (SQLState P0001: nobody can tell what it means).
     */
    static void refuseInTheStore(JdbcTemplate jdbc, boolean postgres) {
        jdbc.execute("ALTER TABLE profile ADD CONSTRAINT operator_refuses CHECK (display_name IS NULL OR "
                + "display_name <> '" + REFUSED_BY_THE_STORE + "')");
        if (postgres) {
            jdbc.execute("CREATE FUNCTION operator_trigger() RETURNS trigger AS $$ BEGIN "
                    + "IF NEW.office_location = '" + UNCLASSIFIED_FAILURE + "' THEN "
                    + "RAISE EXCEPTION 'refused by an operator''s trigger'; END IF; RETURN NEW; END $$ "
                    + "LANGUAGE plpgsql");
            jdbc.execute("CREATE TRIGGER operator_trigger BEFORE INSERT OR UPDATE ON profile FOR EACH ROW "
                    + "EXECUTE FUNCTION operator_trigger()");
        }
    }

    /** Whether anything of the poison reached the store. */
    static boolean refusedValueStored(JdbcTemplate jdbc) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM profile WHERE department = 'poison' "
                + "OR office_location = '" + UNCLASSIFIED_FAILURE + "'", Integer.class);
        return count != null && count > 0;
    }

    /** A good change of the user's job title, observed now. */
    static ProducerRecord<String, byte[]> good(String user, String title) {
        return new UserEventCodec().toRecord(new UserChanged(UUID.randomUUID().toString(), user, "graph",
                Instant.now(), Map.of(ProfileField.JOB_TITLE, title)));
    }

    private static Kind header(String name, String reason, String header, String value) {
        return new Kind(name, reason, user -> {
            Map<String, String> headers = headers(user);
            if (value == null) {
                headers.remove(header);
            } else {
                headers.put(header, value);
            }
            return raw(user, headers, POISON_FIELDS);
        });
    }

    private static Kind value(String name, String reason, String value) {
        return new Kind(name, reason, user -> valid(user, value));
    }

    private static ProducerRecord<String, byte[]> valid(String user, String value) {
        return raw(user, headers(user), value);
    }

    private static Map<String, String> headers(String user) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_source", "graph");
        headers.put("ce_type", UserEventCodec.TYPE_CHANGED);
        headers.put("ce_subject", user);
        headers.put("ce_time", Instant.now().toString());
        headers.put("content-type", "application/json");
        return headers;
    }

    private static ProducerRecord<String, byte[]> raw(String key, Map<String, String> headers, String value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.USER_CHANGES, key,
                value.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static ProducerRecord<String, byte[]> withKey(ProducerRecord<String, byte[]> record, String key) {
        return new ProducerRecord<>(record.topic(), null, key, record.value(), record.headers());
    }

    /** A valid-looking change whose value is exactly {@code bytes} long (a far too long department). */
    private static String padded(int bytes) {
        String prefix = "{\"fields\":{\"department\":\"";
        String suffix = "\"}}";
        return prefix + "p".repeat(bytes - prefix.length() - suffix.length()) + suffix;
    }
}
