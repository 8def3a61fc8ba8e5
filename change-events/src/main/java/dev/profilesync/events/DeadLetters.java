package dev.profilesync.events;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Where a record that cannot be processed goes, and what it carries there: the original record, Spring Kafka's
 * standard {@code kafka_dlt-*} headers (original topic, partition, offset, exception) and {@value #REASON_HEADER}, the
 * machine-readable reason ({@code unknown-type}, {@code malformed-json}, ...). Every consumer service routes its dead
 * letters through {@link #recoverer}, so they all look the same.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "profile-sync-reason";

    /** The SQLState of a failure the store reported, when there is one. */
    public static final String SQL_STATE_HEADER = "profile-sync-sqlstate";

    /** Every reason a consumer of the contract topics dead-letters a record for, so counters can start at zero. */
    public static final List<String> REASONS = List.of("oversized", "missing-header", "unsupported-specversion",
            "invalid-id", "invalid-source", "invalid-subject", "key-mismatch", "unsupported-content-type",
            "invalid-time", "time-out-of-range", "unknown-type", "schema-invalid", "malformed-json", "store-refused",
            "graph-refused", "unprocessable");

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

    /**
     * The error handler every consumer uses for what is not a dead letter: a failure is transient (the database is
     * down, Graph throttles beyond the SDK's retries) and the record is retried with exponential back-off from
     * {@code first} up to {@code longest} apart, forever, while the consumer stays paused and the lag grows.
     */
    public static DefaultErrorHandler transientFaultRetries(Duration first, Duration longest) {
        ExponentialBackOff backOff = new ExponentialBackOff(first.toMillis(), 2.0);
        backOff.setMaxInterval(longest.toMillis());
        return new DefaultErrorHandler(backOff);
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
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                headers.add(SQL_STATE_HEADER, sql.getSQLState().getBytes(StandardCharsets.UTF_8));
                break;
            }
        }
        return headers;
    }
}
