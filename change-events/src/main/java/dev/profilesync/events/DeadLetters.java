package dev.profilesync.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where a record that breaks the contract goes, and what it carries there besides the standard dead-letter headers:
 * {@value #REASON_HEADER}, the machine-readable reason ({@code unknown-type}, {@code malformed-json}, ...).
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "profile-sync-reason";

    private DeadLetters() {
    }

    /** The dead-letter topic of the record's topic; the partition is left to the key. */
    public static TopicPartition destinationOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(Topics.deadLetterOf(record.topic()), -1);
    }

    /** The reason header for a failure, {@code unprocessable} when it is not a contract violation. */
    public static Headers reasonHeaders(Exception failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String reason = cause instanceof InvalidEventException invalid ? invalid.reason() : "unprocessable";
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
