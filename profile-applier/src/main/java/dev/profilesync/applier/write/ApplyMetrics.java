package dev.profilesync.applier.write;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the write path reports: how long each change took from its source to the store
 * ({@code profile_sync_delay_seconds}), changes applied per source, rows and time per poll transaction, and writes
 * refused by the ownership rule.
 */
final class ApplyMetrics implements BatchMerger.Refusals {

    /** Fine below the 1 s objective, coarse up to backlogs of hours. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
        Duration.ofHours(12)};

    private final MeterRegistry registry;
    private final Timer batchTimer;
    private final DistributionSummary batchSize;
    private final Map<String, SourceMeters> bySource = new ConcurrentHashMap<>();

    ApplyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchTimer = Timer.builder("profile_sync_applier_batch")
                .description("Time to merge and write one poll to the store")
                .register(registry);
        this.batchSize = DistributionSummary.builder("profile_sync_applier_batch_rows")
                .description("Users written per store transaction")
                .register(registry);
    }

    Timer.Sample start() {
        return Timer.start();
    }

    /** A poll's transaction committed at {@code appliedAt}: its events, the rows it wrote. */
    void committed(Timer.Sample sample, List<UserEvent> events, int rows, Instant appliedAt) {
        sample.stop(batchTimer);
        batchSize.record(rows);
        for (UserEvent event : events) {
            SourceMeters meters = bySource.computeIfAbsent(event.source(), this::metersOf);
            long delay = appliedAt.toEpochMilli() - event.observedAt().toEpochMilli();
            meters.delay().record(Math.max(0, delay), TimeUnit.MILLISECONDS);
            meters.applied().increment();
        }
    }

    void deadLettered(String topic, String reason) {
        registry.counter("profile_sync_dead_letters", "topic", topic, "reason", reason).increment();
    }

    @Override
    public void fieldRefused(String source, ProfileField field) {
        registry.counter("profile_sync_applier_refused_writes", "source", source, "field", field.jsonName())
                .increment();
    }

    @Override
    public void deletionRefused(String source) {
        registry.counter("profile_sync_applier_refused_writes", "source", source, "field", "(deletion)").increment();
    }

    /** Meters of one source, looked up once rather than per event. */
    private record SourceMeters(Timer delay, Counter applied) {
    }

    private SourceMeters metersOf(String source) {
        return new SourceMeters(Timer.builder("profile_sync_delay")
                .description("Time from a change being observed at its source to it being applied to the store")
                .tag("source", source)
                .serviceLevelObjectives(DELAY_BUCKETS)
                .register(registry), registry.counter("profile_sync_applier_changes_applied", "source", source));
    }
}
