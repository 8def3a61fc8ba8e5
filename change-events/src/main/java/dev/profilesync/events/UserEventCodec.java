package dev.profilesync.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps {@link UserEvent}s to and from records of {@link Topics#USER_CHANGES} in the CloudEvents Kafka binding,
 * binary mode. The record key and {@code ce_subject} are the user id; the value is {@code {"fields":{...}}} for
 * {@value #TYPE_CHANGED} and empty (or {@code {}}) for {@value #TYPE_DELETED}. When {@code ce_time} is absent the
 * record timestamp stands for the observed time.
 */
public final class UserEventCodec {

    public static final String TYPE_CHANGED = "dev.profilesync.user.changed.v1";
    public static final String TYPE_DELETED = "dev.profilesync.user.deleted.v1";
    public static final String JSON = "application/json";

    /** Larger record values are rejected: no legitimate change of the contract's fields comes close. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final byte[] FIELDS_START = JsonBytes.ascii("{\"fields\":{");
    /** {@code "jsonName":} of every field, by ordinal. */
    private static final byte[][] FIELD_NAMES = new byte[ProfileField.values().length][];

    static {
        for (ProfileField field : ProfileField.values()) {
            FIELD_NAMES[field.ordinal()] = JsonBytes.ascii("\"" + field.jsonName() + "\":");
        }
    }

    private final ChangeBounds bounds;

    /** A codec that checks observed times against the system clock and the default clock skew. */
    public UserEventCodec() {
        this(ChangeBounds.defaults());
    }

    public UserEventCodec(ChangeBounds bounds) {
        this.bounds = bounds;
    }

    public ProducerRecord<String, byte[]> toRecord(UserEvent event) {
        Headers headers = new RecordHeaders();
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        put(headers, CloudEventHeaders.ID, event.eventId());
        put(headers, CloudEventHeaders.SOURCE, event.source());
        put(headers, CloudEventHeaders.SUBJECT, event.userId());
        put(headers, CloudEventHeaders.TIME, Rfc3339.format(event.observedAt()));
        put(headers, CloudEventHeaders.CONTENT_TYPE, JSON);
        byte[] value;
        if (event instanceof UserChanged changed) {
            put(headers, CloudEventHeaders.TYPE, TYPE_CHANGED);
            value = dataOf(changed);
        } else {
            put(headers, CloudEventHeaders.TYPE, TYPE_DELETED);
            value = new byte[0];
        }
        return new ProducerRecord<>(Topics.USER_CHANGES, null, event.userId(), value, headers);
    }

    /**
     * Decodes one record.
     *
     * @throws InvalidEventException when the record breaks the contract; retrying cannot fix it
     */
    public UserEvent decode(String key, Headers headers, byte[] value, long recordTimestamp) {
        if (value != null && value.length > MAX_VALUE_BYTES) {
            throw new InvalidEventException("oversized",
                    "record value has " + value.length + " bytes, more than " + MAX_VALUE_BYTES);
        }
        Attributes attributes = new Attributes(headers);
        String specVersion = required(attributes.specVersion, CloudEventHeaders.SPEC_VERSION);
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new InvalidEventException("unsupported-specversion", "ce_specversion must be 1.0, was " + specVersion);
        }
        String id = required(attributes.id, CloudEventHeaders.ID);
        if (!Identifiers.isEventId(id)) {
            throw new InvalidEventException("invalid-id", "ce_id must be 1-128 characters of [A-Za-z0-9._:-]");
        }
        String source = required(attributes.source, CloudEventHeaders.SOURCE);
        if (!Identifiers.isSource(source)) {
            throw new InvalidEventException("invalid-source", "ce_source is not an acceptable source name: " + source);
        }
        String subject = required(attributes.subject, CloudEventHeaders.SUBJECT);
        String userId = Identifiers.userId(subject).orElseThrow(() -> new InvalidEventException("invalid-subject",
                "ce_subject must be the user's directory object id (a GUID), was " + subject));
        if (key != null && !userId.equalsIgnoreCase(key)) {
            throw new InvalidEventException("key-mismatch", "record key " + key + " is not the subject " + subject);
        }
        String contentType = attributes.contentType;
        if (contentType != null && !contentType.startsWith(JSON)) {
            throw new InvalidEventException("unsupported-content-type", "content-type must be application/json");
        }
        Instant observedAt = observedAt(attributes.time, recordTimestamp);
        String outOfBounds = bounds.observedAtProblem(observedAt);
        if (outOfBounds != null) {
            throw new InvalidEventException("time-out-of-range", outOfBounds);
        }
        String type = required(attributes.type, CloudEventHeaders.TYPE);
        return switch (type) {
            case TYPE_CHANGED -> new UserChanged(id, userId, source, observedAt, fieldsOf(value));
            case TYPE_DELETED -> new UserDeleted(id, userId, source, observedAt);
            default -> throw new InvalidEventException("unknown-type",
                    "ce_type " + type + " is neither " + TYPE_CHANGED + " nor " + TYPE_DELETED);
        };
    }

    /**
     * {@code {"fields":{...}}}, written straight to bytes: a directory load writes one per user, and building a tree
     * for data binding to write cost more than the rest of making the record.
     */
    private static byte[] dataOf(UserChanged changed) {
        JsonBytes json = JsonBytes.local().raw(FIELDS_START);
        boolean first = true;
        for (Map.Entry<ProfileField, Object> field : changed.fields().entrySet()) {
            if (!first) {
                json.put(',');
            }
            first = false;
            json.raw(FIELD_NAMES[field.getKey().ordinal()]).value(field.getValue());
        }
        return json.put('}').put('}').toBytes();
    }

    /** Writes one field value of a {@link UserChanged} into {@code target}. */
    public static void putValue(ObjectNode target, String name, Object value) {
        if (value == null) {
            target.putNull(name);
        } else if (value instanceof Boolean bool) {
            target.put(name, bool);
        } else if (value instanceof List<?> list) {
            ArrayNode array = target.putArray(name);
            list.forEach(entry -> array.add(String.valueOf(entry)));
        } else {
            target.put(name, value.toString());
        }
    }

    private static Map<ProfileField, Object> fieldsOf(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidEventException("schema-invalid", "a user change needs a body with fields");
        }
        Map<ProfileField, Object> valid = FieldsFastPath.read(MAPPER, value);
        if (valid != null) {
            return valid;
        }
        JsonNode data;
        try {
            data = MAPPER.readTree(value);
        } catch (JacksonException e) {
            throw new InvalidEventException("malformed-json", "record value is not JSON: " + e.getOriginalMessage());
        }
        if (data == null || !data.isObject()) {
            throw new InvalidEventException("schema-invalid", "record value must be a JSON object");
        }
        List<Violation> violations = new ArrayList<>();
        for (String name : data.propertyNames()) {
            if (!"fields".equals(name)) {
                violations.add(new Violation("/" + name, "unknown-property", "only 'fields' is allowed"));
            }
        }
        Map<ProfileField, Object> fields = ChangedFields.parse(data.path("fields"), "/fields", violations);
        if (!violations.isEmpty()) {
            throw new InvalidEventException("schema-invalid", violations.get(0).pointer() + ": "
                    + violations.get(0).message(), violations);
        }
        return fields;
    }

    private static Instant observedAt(String time, long recordTimestamp) {
        if (time == null) {
            return Instant.ofEpochMilli(recordTimestamp);
        }
        try {
            return Rfc3339.parse(time);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new InvalidEventException("invalid-time", "ce_time is not an RFC 3339 timestamp: " + time);
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new InvalidEventException("missing-header", "header " + name + " is required");
        }
        return value;
    }

    /** The CloudEvents attributes of a record, read in one pass over its headers; the last of a repeated one wins. */
    private static final class Attributes {
        private String specVersion;
        private String id;
        private String source;
        private String type;
        private String subject;
        private String time;
        private String contentType;

        Attributes(Headers headers) {
            for (Header header : headers) {
                String value = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                switch (header.key()) {
                    case CloudEventHeaders.SPEC_VERSION -> specVersion = value;
                    case CloudEventHeaders.ID -> id = value;
                    case CloudEventHeaders.SOURCE -> source = value;
                    case CloudEventHeaders.TYPE -> type = value;
                    case CloudEventHeaders.SUBJECT -> subject = value;
                    case CloudEventHeaders.TIME -> time = value;
                    case CloudEventHeaders.CONTENT_TYPE -> contentType = value;
                    default -> {
                        // other headers (tracing, dead-letter history) are not part of the event
                    }
                }
            }
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
