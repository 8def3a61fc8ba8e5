package dev.profilesync.applier.write;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

import dev.profilesync.applier.ApplierProperties;
import dev.profilesync.events.InvalidEventException;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One poll of {@code directory.user-changes} becomes one store transaction. The poll is split into up to
 * {@value #PARTS} parts; the consumer thread decodes and merges part k+1 while a writer thread writes part k
 * ({@link PipelinedWrite}) in the poll's one open transaction. Records that break the contract are dead-lettered
 * (synchronously, before the offsets move) and the rest of the poll is applied. {@link #apply} returns only after the
 * commit, so the container commits offsets after the database; a redelivered poll is harmless because the store
 * converges on duplicates. When the store fails, nothing of the poll is in it and the failure propagates to the
 * container's error handler.
 */
@Service
class PollApplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PollApplier.class);

    /** Parts smaller than {@link #MIN_PART} records are not worth a statement of their own. */
    private static final int PARTS = 4;
    private static final int MIN_PART = 100;

    private final UserEventCodec codec = new UserEventCodec();
    private final ProfileWriter writer;
    private final BatchMerger merger;
    private final ApplyMetrics metrics;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final Clock clock = Clock.systemUTC();
    /** One writer thread per consumer thread at most: each runs the store transaction of one poll at a time. */
    private final ExecutorService writers = Executors.newCachedThreadPool(new CustomizableThreadFactory(
            "profile-store-writer-"));

    PollApplier(ProfileWriter writer, ApplierProperties properties, DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry registry) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.metrics = new ApplyMetrics(registry);
        this.merger = new BatchMerger(new FieldOwnership(properties.ownership()), metrics);
    }

    void apply(List<ConsumerRecord<String, byte[]>> records) {
        Timer.Sample sample = metrics.start();
        int part = Math.max(MIN_PART, (records.size() + PARTS - 1) / PARTS);
        try (PipelinedWrite write = new PipelinedWrite(writers, writer, merger, clock,
                (events, rows) -> metrics.committed(sample, events, rows, clock.instant()))) {
            for (int from = 0; from < records.size(); from += part) {
                write.write(decode(records.subList(from, Math.min(records.size(), from + part))));
            }
            write.commit();
        }
    }

    private List<UserEvent> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<UserEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(codec.decode(record.key(), record.headers(), record.value(), record.timestamp()));
            } catch (InvalidEventException e) {
                deadLetter(record, e);
            }
        }
        return events;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, InvalidEventException cause) {
        log.warn("Dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
                cause.reason(), cause.getMessage());
        deadLetters.accept(record, new ListenerExecutionFailedException(cause.getMessage(), cause));
        metrics.deadLettered(record.topic(), cause.reason());
    }

    @Override
    public void destroy() {
        writers.shutdown();
    }
}
