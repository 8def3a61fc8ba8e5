package dev.profilesync.applier.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;

import dev.profilesync.applier.ApplierProperties;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Applies a batch of events to the store: merge per user under the ownership rule, then convergent upserts in one
 * transaction ({@link PipelinedWrite}). Records how long each change took from its source to the store
 * ({@code profile_sync_delay_seconds}).
 */
@Service
public class ProfileUpdater implements DisposableBean {

    /** Fine below the 1 s objective, coarse up to backlogs of hours. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
        Duration.ofHours(12)};

    private final ProfileStore store;
    private final BatchMerger merger;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer batchTimer;
    private final DistributionSummary batchSize;
    private final Map<String, SourceMeters> bySource = new ConcurrentHashMap<>();
    /** One writer thread per consumer thread at most: each runs the store transaction of one poll at a time. */
    private final ExecutorService writers = Executors.newCachedThreadPool(new CustomizableThreadFactory(
            "profile-store-writer-"));

    ProfileUpdater(ProfileStore store, ApplierProperties properties, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
        this.clock = Clock.systemUTC();
        this.merger = new BatchMerger(new FieldOwnership(properties.ownership()), new RefusalCounter(registry));
        this.batchTimer = Timer.builder("profile_sync_applier_batch")
                .description("Time to merge and write one poll to the store")
                .register(registry);
        this.batchSize = DistributionSummary.builder("profile_sync_applier_batch_rows")
                .description("Users written per store transaction")
                .register(registry);
    }

    /**
     * Starts the store transaction of one poll: hand it the poll's events part by part with
     * {@link PipelinedWrite#write}, then {@link PipelinedWrite#commit()}; closing it without committing rolls back.
     */
    public PipelinedWrite begin() {
        Timer.Sample sample = Timer.start();
        return new PipelinedWrite(writers, store, merger, clock, (events, rows) -> committed(sample, events, rows));
    }

    private void committed(Timer.Sample sample, List<UserEvent> events, int rows) {
        Instant appliedAt = clock.instant();
        sample.stop(batchTimer);
        batchSize.record(rows);
        for (UserEvent event : events) {
            SourceMeters meters = bySource.computeIfAbsent(event.source(), this::metersOf);
            long delay = appliedAt.toEpochMilli() - event.observedAt().toEpochMilli();
            meters.delay().record(Math.max(0, delay), TimeUnit.MILLISECONDS);
            meters.applied().increment();
        }
    }

    @Override
    public void destroy() {
        writers.shutdown();
    }

    /** Meters of one source, looked up once rather than per event. */
    private record SourceMeters(Timer delay, Counter applied) {
    }

    private SourceMeters metersOf(String source) {
        return new SourceMeters(delayTimer(source), appliedCounter(source));
    }

    private Timer delayTimer(String source) {
        return Timer.builder("profile_sync_delay")
                .description("Time from a change being observed at its source to it being applied to the store")
                .tag("source", source)
                .serviceLevelObjectives(DELAY_BUCKETS)
                .register(registry);
    }

    private Counter appliedCounter(String source) {
        return registry.counter("profile_sync_applier_changes_applied", "source", source);
    }

    /** Counts writes the ownership rule refused, by source and field. */
    private record RefusalCounter(MeterRegistry registry) implements BatchMerger.Refusals {

        @Override
        public void fieldRefused(String source, ProfileField field) {
            registry.counter("profile_sync_applier_refused_writes", "source", source, "field", field.jsonName())
                    .increment();
        }

        @Override
        public void deletionRefused(String source) {
            registry.counter("profile_sync_applier_refused_writes", "source", source, "field", "(deletion)")
                    .increment();
        }
    }
}
