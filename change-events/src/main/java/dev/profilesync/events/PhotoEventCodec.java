package dev.profilesync.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Maps {@link PhotoChanged} to and from records of {@link Topics#PHOTO_CHANGES}: CloudEvents binary mode, type
 * {@value #TYPE}, value {@code {"reason":"...","mediaEtag":"..."}}, key and subject the user id.
 */
public final class PhotoEventCodec {

    public static final String TYPE = "dev.profilesync.photo.changed.v1";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final byte[] REASON = JsonBytes.ascii("{\"reason\":");
    private static final byte[] MEDIA_ETAG = JsonBytes.ascii(",\"mediaEtag\":");

    /** The event as a record of {@link Topics#PHOTO_CHANGES}, the bulk lane. */
    public ProducerRecord<String, byte[]> toRecord(PhotoChanged event) {
        return toRecord(event, Topics.PHOTO_CHANGES);
    }

    /**
     * The event as a record of {@code topic}: {@link Topics#PHOTO_CHANGES} for detected changes,
     * {@link Topics#PHOTO_REQUESTS} (the priority lane) for photo syncs somebody asked for.
     */
    public ProducerRecord<String, byte[]> toRecord(PhotoChanged event, String topic) {
        Headers headers = new RecordHeaders();
        put(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        put(headers, CloudEventHeaders.ID, event.eventId());
        put(headers, CloudEventHeaders.SOURCE, event.source());
        put(headers, CloudEventHeaders.TYPE, TYPE);
        put(headers, CloudEventHeaders.SUBJECT, event.userId());
        put(headers, CloudEventHeaders.TIME, Rfc3339.format(event.observedAt()));
        put(headers, CloudEventHeaders.CONTENT_TYPE, UserEventCodec.JSON);
        // {"reason":...,"mediaEtag":...} straight to bytes: a directory load writes one per user with a photo
        JsonBytes data = JsonBytes.local().raw(REASON).string(event.reason());
        if (event.mediaEtag() != null) {
            data.raw(MEDIA_ETAG).string(event.mediaEtag());
        }
        return new ProducerRecord<>(topic, null, event.userId(), data.put('}').toBytes(), headers);
    }

    /** @throws InvalidEventException when the record breaks the contract */
    public PhotoChanged decode(String key, Headers headers, byte[] value, long recordTimestamp) {
        String type = header(headers, CloudEventHeaders.TYPE);
        if (!TYPE.equals(type)) {
            throw new InvalidEventException("unknown-type", "ce_type must be " + TYPE + ", was " + type);
        }
        String id = header(headers, CloudEventHeaders.ID);
        if (!Identifiers.isEventId(id)) {
            throw new InvalidEventException("invalid-id", "ce_id is missing or invalid");
        }
        String source = header(headers, CloudEventHeaders.SOURCE);
        if (!Identifiers.isSource(source)) {
            throw new InvalidEventException("invalid-source", "ce_source is missing or invalid");
        }
        String subject = header(headers, CloudEventHeaders.SUBJECT);
        String userId = Identifiers.userId(subject).orElseThrow(() -> new InvalidEventException("invalid-subject",
                "ce_subject must be the user's directory object id (a GUID)"));
        if (key != null && !userId.equalsIgnoreCase(key)) {
            throw new InvalidEventException("key-mismatch", "record key " + key + " is not the subject " + subject);
        }
        Instant observedAt;
        String time = header(headers, CloudEventHeaders.TIME);
        try {
            observedAt = time == null ? Instant.ofEpochMilli(recordTimestamp) : Rfc3339.parse(time);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid-time", "ce_time is not an RFC 3339 timestamp: " + time);
        }
        JsonNode data;
        try {
            data = value == null || value.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(value);
        } catch (JacksonException e) {
            throw new InvalidEventException("malformed-json", "record value is not JSON: " + e.getOriginalMessage());
        }
        return new PhotoChanged(id, userId, source, observedAt, data.path("reason").asString("requested"),
                data.path("mediaEtag").asString(null));
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
