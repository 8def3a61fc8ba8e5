package dev.profilesync.directory.graph;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;

import dev.profilesync.directory.DirectorySyncProperties;
import dev.profilesync.directory.leader.FencedPublisher;
import dev.profilesync.directory.leader.Lease;
import dev.profilesync.directory.leader.LeadershipLostException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The directory reader of one tenant. Every instance takes part in the election ({@link Lease}); only the one holding
 * the lease reads Graph, and it publishes only through a {@link FencedPublisher}. While active it runs, on one thread,
 * a delta round every {@code delta-interval} and at once when a change notification arrives, a photo sweep every
 * {@code photo-sweep-interval}, and the subscription upkeep. Failures back off up to five minutes and never lose the
 * position: the next round continues from the saved cursor or delta link. A standby does nothing but wait; a change
 * notification it receives is passed to the active instance through the lease topic.
 */
@Component
public class DirectoryReader implements SmartLifecycle, Lease.Holder, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DirectoryReader.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** A sweep step checks this many {@code $batch} requests (1,000 users) before a due round may run. */
    private static final int SWEEP_BATCHES_PER_STEP = 50;

    private final GraphServiceClient graph;
    private final DirectorySyncProperties properties;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final String instance = instanceId();
    private final Object wake = new Object();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong heldDeletions = new AtomicLong();
    private final java.util.Queue<String> instructions = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile DirectoryState.HeldDeletions held;
    private final Timer roundTimer;
    private final Counter usersIngested;
    private final SubscriptionKeeper subscriptions;
    /** Runs a photo sweep's {@code $batch} requests, {@code photo-concurrency} at a time; daemon threads. */
    private final java.util.concurrent.ExecutorService sweepRequests;
    private volatile boolean triggered;
    private volatile boolean stopping;
    private volatile Thread worker;
    private Lease lease;

    DirectoryReader(GraphServiceClient graph, DirectorySyncProperties properties, KafkaProperties kafka,
            MeterRegistry registry) {
        this.graph = graph;
        this.properties = properties;
        this.kafka = kafka;
        this.registry = registry;
        this.roundTimer = Timer.builder("profile_sync_graph_round").description("Duration of a Graph delta round")
                .register(registry);
        this.usersIngested = Counter.builder("profile_sync_graph_users_ingested")
                .description("Users read from Graph delta pages and published").register(registry);
        this.subscriptions = new SubscriptionKeeper(graph, properties.webhook(), registry, clock);
        this.sweepRequests = java.util.concurrent.Executors.newFixedThreadPool(properties.photoConcurrency(), r -> {
            Thread thread = new Thread(r, "photo-sweep");
            thread.setDaemon(true);
            return thread;
        });
        registry.gauge("profile_sync_graph_last_success_timestamp_seconds", lastSuccess, v -> v.get() / 1000.0);
        registry.gauge("profile_sync_directory_active", active, AtomicLong::get);
        registry.gauge("profile_sync_graph_deletions_held", heldDeletions, AtomicLong::get);
        registry.counter("profile_sync_graph_errors", "status", "none");
        registry.counter("profile_sync_directory_fenced");
    }

    /** A change notification arrived: start a delta round now, here or on the active instance. */
    public void notified() {
        if (worker != null) {
            wake();
        } else if (lease != null) {
            lease.wakeHolder();
        }
    }

    @Override
    public void wake() {
        triggered = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    @Override
    public void told(String instruction) {
        instructions.add(instruction);
        wake();
    }

    /** Confirms ({@code confirm}) or dismisses the held deletions, on whichever instance is active. */
    public void decideHeldDeletions(boolean confirm, String roundId) {
        String instruction = (confirm ? CONFIRM : DISMISS) + (roundId == null || roundId.isBlank() ? "*" : roundId);
        if (lease == null) {
            throw new IllegalStateException("directory-sync is not running");
        }
        lease.tellHolder(instruction);
    }

    /** The deletions held back for an operator, as the active instance knows them; null when none or standby. */
    public DirectoryState.HeldDeletions heldDeletions() {
        return held;
    }

    /** Whether this instance is the active reader of its tenant. */
    public boolean active() {
        return active.get() == 1;
    }

    private static final String CONFIRM = "confirm-deletions:";
    private static final String DISMISS = "dismiss-deletions:";

    @Override
    public synchronized void acquired() {
        if (stopping || worker != null) {
            return;
        }
        Thread thread = new Thread(this::lead, "directory-reader");
        worker = thread;
        thread.start();
    }

    @Override
    public void released() {
        Thread thread;
        synchronized (this) {
            thread = worker;
            worker = null;
        }
        awaitEnd(thread);
    }

    private boolean leading() {
        return worker == Thread.currentThread() && !stopping;
    }

    /** The active instance's work: open the fenced publisher, load the state, run rounds until told to stop. */
    private void lead() {
        Duration backoff = Duration.ofSeconds(1);
        Map<String, Object> producer = kafka.buildProducerProperties();
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        while (leading()) {
            FencedPublisher publisher = null;
            try {
                publisher = FencedPublisher.open(producer, properties.tenantKey(), properties.publishTimeout());
                DirectoryState state = DirectoryState.load(consumer);
                active.set(1);
                log.info("Active directory reader of tenant {} ({}); continuing from {}", properties.tenantKey(),
                        instance, state.cursor() != null ? "page " + state.cursor().pages() + " of a round"
                                : state.deltaLink() != null ? "the saved delta link" : "a full synchronisation");
                rounds(publisher, state);
                if (stopping) {
                    subscriptions.delete(state, publisher);
                }
                return;
            } catch (LeadershipLostException e) {
                registry.counter("profile_sync_directory_fenced").increment();
                log.warn("Another instance took over tenant {}; this one stops publishing", properties.tenantKey());
                worker = null;
                lease.rejoin();
                return;
            } catch (RuntimeException e) {
                if (!leading()) {
                    return;
                }
                failed(e, backoff);
                sleepUntil(clock.instant().plus(backoff));
                backoff = next(backoff);
            } finally {
                active.set(0);
                held = null;
                heldDeletions.set(0);
                if (publisher != null) {
                    publisher.close();
                }
            }
        }
    }

    private void rounds(FencedPublisher publisher, DirectoryState state) {
        DeltaSync delta = new DeltaSync(graph, publisher, state, instance, properties.maxDeletionShare(), clock);
        PhotoSweep photos = new PhotoSweep(graph, publisher, state, properties.photoBatchSize(), clock,
                sweepRequests, properties.photoConcurrency());
        Instant nextRound = Instant.EPOCH;
        // a sweep that was in progress (before a restart or take-over) resumes at once
        Instant nextSweep = photos.inProgress() ? Instant.EPOCH : clock.instant().plus(properties.photoSweepInterval());
        Duration backoff = Duration.ofSeconds(1);
        while (leading()) {
            try {
                subscriptions.keep(state, publisher);
                followInstructions(delta, state);
                if (triggered || !clock.instant().isBefore(nextRound)) {
                    triggered = false;
                    DeltaSync.Outcome outcome = roundTimer.recordCallable(delta::round);
                    usersIngested.increment(outcome.users());
                    registry.counter("profile_sync_graph_delta_rounds", "kind", outcome.full() ? "full" : "delta",
                            "outcome", "success").increment();
                    lastSuccess.set(clock.millis());
                    showHeld(state);
                    nextRound = clock.instant().plus(properties.deltaInterval());
                    log.debug("Delta round: {}", outcome);
                }
                if (photos.inProgress() || !clock.instant().isBefore(nextSweep)) {
                    PhotoSweep.Outcome outcome = photos.step(SWEEP_BATCHES_PER_STEP);
                    registry.counter("profile_sync_graph_photo_sweep_checked").increment(outcome.checked());
                    if (outcome.finished()) {
                        registry.counter("profile_sync_graph_photo_sweeps").increment();
                        log.info("Photo sweep finished");
                        nextSweep = clock.instant().plus(properties.photoSweepInterval());
                    }
                }
                backoff = Duration.ofSeconds(1);
                // between steps of a sweep only a delta round that is due (or triggered) goes first
                sleepUntil(photos.inProgress() ? clock.instant() : nextRound.isBefore(nextSweep) ? nextRound
                        : nextSweep);
            } catch (LeadershipLostException | KafkaException e) {
                throw e;
            } catch (Exception e) {
                if (!leading()) {
                    return;
                }
                failed(e, backoff);
                sleepUntil(clock.instant().plus(backoff));
                backoff = next(backoff);
                nextRound = Instant.EPOCH;
            }
        }
    }

    private void followInstructions(DeltaSync delta, DirectoryState state) {
        showHeld(state);
        for (String instruction; (instruction = instructions.poll()) != null;) {
            DirectoryState.HeldDeletions current = state.heldDeletions();
            if (current == null) {
                log.info("Ignoring '{}': no deletions are held", instruction);
                continue;
            }
            String round = instruction.substring(instruction.indexOf(':') + 1);
            if (!round.equals("*") && !round.equals(current.roundId())) {
                log.warn("Ignoring '{}': the held deletions belong to round {}", instruction, current.roundId());
                continue;
            }
            if (instruction.startsWith(CONFIRM)) {
                int deleted = delta.confirmHeldDeletions(current.roundId());
                log.warn("An operator confirmed the held deletions of round {}: {} users deleted",
                        current.roundId(), deleted);
            } else if (instruction.startsWith(DISMISS)) {
                delta.dismissHeldDeletions(current.roundId());
                log.warn("An operator dismissed the held deletions of round {}: nobody deleted", current.roundId());
            }
        }
        showHeld(state);
    }

    private void showHeld(DirectoryState state) {
        held = state.heldDeletions();
        heldDeletions.set(held == null ? 0 : held.count());
    }

    private void failed(Exception e, Duration backoff) {
        String status = e instanceof ApiException api ? String.valueOf(api.getResponseStatusCode())
                : e.getClass().getSimpleName();
        registry.counter("profile_sync_graph_errors", "status", status).increment();
        registry.counter("profile_sync_graph_delta_rounds", "kind", "any", "outcome", "failure").increment();
        log.warn("Directory reading failed ({}), retrying in {}: {}", status, backoff, e.toString());
    }

    private static Duration next(Duration backoff) {
        return backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    private void sleepUntil(Instant until) {
        long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        synchronized (wake) {
            if (!triggered && millis > 0 && leading()) {
                try {
                    wake.wait(Math.min(millis, TimeUnit.MINUTES.toMillis(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    worker = null;
                }
            }
        }
    }

    private void awaitEnd(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Health health() {
        Lease current = lease;
        if (current != null && !stopping && !current.alive()) {
            return Health.down().withDetail("tenant", properties.tenantKey()).withDetail("instance", instance)
                    .withDetail("error", "the lease thread ended").build();
        }
        return Health.up().withDetail("tenant", properties.tenantKey()).withDetail("instance", instance)
                .withDetail("role", active.get() == 1 ? "active" : "standby").build();
    }

    @Override
    public void start() {
        stopping = false;
        lease = new Lease(kafka.buildConsumerProperties(), properties.tenantKey(),
                properties.lease().sessionTimeout(), this);
        lease.start();
    }

    /** A clean stop: the active instance finishes its page, deletes the subscription and leaves the lease. */
    @Override
    public void stop() {
        Thread thread;
        synchronized (this) {
            stopping = true;
            thread = worker;
        }
        awaitEnd(thread);
        worker = null;
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    @Override
    public boolean isRunning() {
        return lease != null;
    }

    private static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
