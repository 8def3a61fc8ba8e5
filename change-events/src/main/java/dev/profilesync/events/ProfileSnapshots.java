package dev.profilesync.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records of {@link Topics#PROFILE_SNAPSHOTS}: key = user id; value = the whole profile as JSON (schema
 * {@code profile-snapshot.v1.schema.json}: the read API's fields and {@code sync}, plus {@code versions}, the version
 * of every register, so a store rebuilt from the topic converges exactly like the one it came from); a tombstone (null
 * value) when the user is deleted. CloudEvents binary mode: {@code ce_type} {@value #TYPE}, {@code ce_source}
 * {@value #SOURCE}, {@code ce_subject} the user id, {@code ce_time} when the newest change was observed.
 */
public final class ProfileSnapshots {

    public static final String TYPE = "dev.profilesync.profile.snapshot.v1";
    public static final String SOURCE = "profile-applier";

    // header values every record shares, encoded once (header values are never modified once added)
    private static final byte[] SPEC_VERSION = bytes(CloudEventHeaders.SPEC_VERSION_1_0);
    private static final byte[] SOURCE_BYTES = bytes(SOURCE);
    private static final byte[] TYPE_BYTES = bytes(TYPE);
    private static final byte[] JSON_BYTES = bytes(UserEventCodec.JSON);

    private ProfileSnapshots() {
    }

    /** The snapshot record of a present user. */
    public static ProducerRecord<String, byte[]> snapshot(String userId, byte[] json, String eventId,
            Instant observedAt) {
        Headers headers = headers(userId, eventId, observedAt);
        headers.add(CloudEventHeaders.CONTENT_TYPE, JSON_BYTES);
        return new ProducerRecord<>(Topics.PROFILE_SNAPSHOTS, null, userId, json, headers);
    }

    /** The tombstone of a deleted user: compaction removes the user's snapshots after it. */
    public static ProducerRecord<String, byte[]> tombstone(String userId, String eventId, Instant observedAt) {
        return new ProducerRecord<>(Topics.PROFILE_SNAPSHOTS, null, userId, null,
                headers(userId, eventId, observedAt));
    }

    private static Headers headers(String userId, String eventId, Instant observedAt) {
        Headers headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, SPEC_VERSION);
        headers.add(CloudEventHeaders.ID, bytes("snapshot-" + userId + "-" + eventId));
        headers.add(CloudEventHeaders.SOURCE, SOURCE_BYTES);
        headers.add(CloudEventHeaders.TYPE, TYPE_BYTES);
        headers.add(CloudEventHeaders.SUBJECT, bytes(userId));
        headers.add(CloudEventHeaders.TIME, bytes(Rfc3339.format(observedAt)));
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
