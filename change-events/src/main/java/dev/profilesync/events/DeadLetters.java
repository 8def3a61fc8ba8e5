package dev.profilesync.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Where a record that cannot be processed goes, and what it carries there: the original record, Spring Kafka's
 * standard {@code kafka_dlt-*} headers (original topic, partition, offset, exception) and {@value #REASON_HEADER}, the
 * machine-readable reason ({@code unknown-type}, {@code malformed-json}, ...). Every consumer service routes its dead
 * letters through {@link #recoverer}, so they all look the same.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "profile-sync-reason";

    private DeadLetters() {
    }

    /**
     * The recoverer every consumer uses: a record goes to the dead-letter twin of its topic (the partition left to the
     * key), with the reason header added. Needs spring-kafka on the classpath.
     */
    public static DeadLetterPublishingRecoverer recoverer(KafkaOperations<?, ?> template) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> destinationOf(record));
        recoverer.setHeadersFunction((record, exception) -> reasonHeaders(exception));
        return recoverer;
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
