package dev.profilesync.applier.write;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import dev.profilesync.events.ChangeBounds;
import dev.profilesync.events.InvalidEventException;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One poll of {@code directory.user-changes} becomes one store transaction, and no record can hold a partition up.
 * The poll is split into up to {@value #PARTS} parts; the consumer thread decodes and merges part k+1 while a writer
 * thread writes part k ({@link PipelinedWrite}) in the poll's one open transaction. {@link #apply} returns only after
 * the commit, so the container commits offsets after the database; a redelivered poll is harmless because the store
 * converges on duplicates.
 *
 * <p>What cannot be applied: a record that breaks the contract is dead-lettered as it is decoded. When the store
 * fails the transaction, {@link StoreFailures} decides: a transient failure (or a failure to publish the poll's
 * rows) propagates to the container, which retries the poll with back-off, forever, dead-lettering nothing; a refused
 * value makes {@link PoisonIsolation} bisect the poll, write every good record and dead-letter the refused ones; an
 * unclassified failure is tried {@code unclassified-tries} times first. Each record is dead-lettered once, however
 * often its poll is retried.
 */
@Service
class PollApplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PollApplier.class);

    /** Parts smaller than {@link #MIN_PART} records are not worth a statement of their own. */
    private static final int PARTS = 4;
    private static final int MIN_PART = 100;

    private final UserEventCodec codec;
    private final ProfileWriter writer;
    private final BatchMerger merger;
    private final ApplyMetrics metrics;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final DeadLetterLedger ledger = new DeadLetterLedger();
    private final int unclassifiedTries;
    private final Clock clock = Clock.systemUTC();
    /** One writer thread per consumer thread at most: each runs the store transaction of one poll at a time. */
    private final ExecutorService writers = Executors.newCachedThreadPool(new CustomizableThreadFactory(
            "profile-store-writer-"));

    /** A record and what it decoded to. */
    private record Decoded(ConsumerRecord<String, byte[]> record, UserEvent event) {
    }

    PollApplier(ProfileWriter writer, ApplierProperties properties, DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry registry) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.codec = new UserEventCodec(new ChangeBounds(clock, properties.maxClockSkew()));
        Set<String> sources = new HashSet<>();
        properties.ownership().values().forEach(sources::addAll);
        this.metrics = new ApplyMetrics(registry, sources);
        this.merger = new BatchMerger(new FieldOwnership(properties.ownership()), metrics);
        this.unclassifiedTries = properties.unclassifiedTries();
    }

    /**
     * Applies a poll; returns once the store has committed it.
     *
     * @param publication handed the rows as the store writes them, when the store hands them back (PostgreSQL);
     *        null: nobody wants them
     * @return whether {@code publication} was handed every row the committed transaction wrote: false on H2, and
     *     when refused records were isolated (then the rows were written in other transactions)
     */
    boolean apply(List<ConsumerRecord<String, byte[]>> records, PollPublisher.Publication publication) {
        Timer.Sample sample = metrics.start();
        int part = Math.max(MIN_PART, (records.size() + PARTS - 1) / PARTS);
        List<Decoded> decoded = new ArrayList<>(records.size());
        boolean streaming = publication != null && writer.returnsRows();
        try (PipelinedWrite write = new PipelinedWrite(writers, writer, merger, clock,
                streaming ? rows -> publish(publication, rows) : null,
                (events, rows) -> metrics.committed(sample, events, rows, clock.instant()))) {
            for (int from = 0; from < records.size(); from += part) {
                write.write(decode(records.subList(from, Math.min(records.size(), from + part)), decoded));
            }
            write.commit();
            return streaming;
        } catch (RuntimeException failure) {
            StoreFailures.Kind kind = StoreFailures.classify(failure);
            if (kind == StoreFailures.Kind.TRANSIENT || decoded.isEmpty()) {
                throw failure;
            }
            if (kind == StoreFailures.Kind.UNCLASSIFIED) {
                metrics.unclassifiedFailure();
                int tries = ledger.failedTry(records.get(0));
                if (tries < unclassifiedTries) {
                    log.warn("The store failed a poll of {} records for an unclassified reason (try {} of {}): {}",
                            records.size(), tries, unclassifiedTries, failure.toString());
                    throw failure;
                }
            }
            isolate(decoded, failure);
            return false;
        }
    }

    /** Hands rows to the publication; what it fails with is no record's fault (see {@link StoreFailures}). */
    private static void publish(PollPublisher.Publication publication,
            java.util.Collection<dev.profilesync.applier.store.StoredProfile> rows) {
        try {
            publication.written(rows);
        } catch (RuntimeException failure) {
            throw new PublicationFailedException(failure);
        }
    }

    private List<UserEvent> decode(List<ConsumerRecord<String, byte[]>> records, List<Decoded> decoded) {
        List<UserEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (ledger.deadLettered(record)) {
                continue;
            }
            try {
                UserEvent event = codec.decode(record.key(), record.headers(), record.value(), record.timestamp());
                events.add(event);
                decoded.add(new Decoded(record, event));
            } catch (InvalidEventException e) {
                deadLetter(record, e);
            }
        }
        return events;
    }

    /** Writes every record of the failed poll the store accepts, in halves, and dead-letters the ones it refuses. */
    private void isolate(List<Decoded> decoded, RuntimeException failure) {
        log.warn("The store refused a poll of {} records ({}); isolating the records it refuses", decoded.size(),
                failure.toString());
        PoisonIsolation<Decoded> isolation = new PoisonIsolation<>(this::writeAlone,
                f -> StoreFailures.classify(f) == StoreFailures.Kind.TRANSIENT);
        List<PoisonIsolation.Refused<Decoded>> refused = isolation.isolate(decoded);
        metrics.isolated(isolation.statements());
        for (PoisonIsolation.Refused<Decoded> each : refused) {
            deadLetter(each.item().record(), new StoreRefusedException(each.failure()));
        }
        log.warn("Isolated {} refused records of {} with {} statements", refused.size(), decoded.size(),
                isolation.statements());
    }

    private void writeAlone(List<Decoded> part) {
        List<UserEvent> events = part.stream().map(Decoded::event).toList();
        writer.apply(merger.merge(events), clock.instant());
        metrics.applied(events, clock.instant());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, InvalidEventException cause) {
        if (ledger.deadLettered(record)) {
            return;
        }
        log.warn("Dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
                cause.reason(), cause.getMessage());
        deadLetters.accept(record, new ListenerExecutionFailedException(cause.getMessage(), cause));
        ledger.markDeadLettered(record);
        metrics.deadLettered(record.topic(), cause.reason());
    }

    @Override
    public void destroy() {
        writers.shutdown();
    }
}
