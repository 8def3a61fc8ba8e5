package dev.profilesync.applier.write;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the write path reports: how long each change took from its source to the store
 * ({@code profile_sync_delay_seconds}), changes applied per source, rows and time per poll transaction, writes
 * refused by the ownership rule, dead letters and poison isolation. Per-source series exist only for the configured
 * sources (the rest count as {@value #OTHER_SOURCE}), and every series an alert or panel reads starts at zero.
 */
final class ApplyMetrics implements BatchMerger.Refusals {

    /** Fine below the 1 s objective, coarse up to backlogs of hours. */
    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
        Duration.ofHours(12)};

    /** Series for sources that are not configured are reported under this source, so clients cannot add series. */
    static final String OTHER_SOURCE = "other";

    private final MeterRegistry registry;
    private final Set<String> knownSources;
    private final Timer batchTimer;
    private final DistributionSummary batchSize;
    private final Map<String, SourceMeters> bySource = new ConcurrentHashMap<>();
    private final Counter isolations;
    private final Counter isolationStatements;
    private final Counter unclassified;

    ApplyMetrics(MeterRegistry registry, Set<String> knownSources) {
        this.registry = registry;
        this.knownSources = Set.copyOf(knownSources);
        this.isolations = Counter.builder("profile_sync_applier_isolations")
                .description("Polls the store refused, bisected to find the records it refuses").register(registry);
        this.isolationStatements = Counter.builder("profile_sync_applier_isolation_statements")
                .description("Store transactions spent bisecting refused polls").register(registry);
        this.unclassified = Counter.builder("profile_sync_applier_unclassified_failures")
                .description("Store failures neither transient nor a refused value (tried again, then isolated)")
                .register(registry);
        for (String reason : DeadLetters.REASONS) {
            registry.counter("profile_sync_dead_letters", "topic", Topics.USER_CHANGES, "reason", reason);
        }
        for (String source : this.knownSources) {
            metersOf(source);
        }
        metersOf(OTHER_SOURCE);
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
        applied(events, appliedAt);
    }

    /** Events written at {@code appliedAt}. */
    void applied(List<UserEvent> events, Instant appliedAt) {
        for (UserEvent event : events) {
            SourceMeters meters = bySource.computeIfAbsent(sourceTag(event.source()), this::metersOf);
            long delay = appliedAt.toEpochMilli() - event.observedAt().toEpochMilli();
            meters.delay().record(Math.max(0, delay), TimeUnit.MILLISECONDS);
            meters.applied().increment();
        }
    }

    void deadLettered(String topic, String reason) {
        registry.counter("profile_sync_dead_letters", "topic", topic, "reason", reason).increment();
    }

    void isolated(int statements) {
        isolations.increment();
        isolationStatements.increment(statements);
    }

    void unclassifiedFailure() {
        unclassified.increment();
    }

    @Override
    public void fieldRefused(String source, ProfileField field) {
        registry.counter("profile_sync_applier_refused_writes", "source", sourceTag(source), "field",
                field.jsonName()).increment();
    }

    @Override
    public void deletionRefused(String source) {
        registry.counter("profile_sync_applier_refused_writes", "source", sourceTag(source), "field", "(deletion)")
                .increment();
    }

    private String sourceTag(String source) {
        return knownSources.contains(source) ? source : OTHER_SOURCE;
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
