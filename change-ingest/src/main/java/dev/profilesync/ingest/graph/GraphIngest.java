package dev.profilesync.ingest.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;

import dev.profilesync.ingest.IngestProperties;
import dev.profilesync.ingest.publish.UserEventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Drives the Graph ingest on one thread: a delta round at every {@code delta-interval} and at once when a change
 * notification arrives (several notifications make one round), a photo sweep at every {@code photo-sweep-interval},
 * and the change-notification subscription, created at start and renewed before it expires. Failures back off
 * exponentially up to five minutes and never lose the position: the next round starts from the saved delta link.
 */
@Component
@ConditionalOnProperty(name = "profile-sync.ingest.graph.enabled", havingValue = "true")
public class GraphIngest implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GraphIngest.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final GraphServiceClient graph;
    private final UserEventPublisher publisher;
    private final IngestProperties properties;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Object wake = new Object();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Timer roundTimer;
    private final Counter usersIngested;
    private volatile boolean triggered;
    private volatile Thread worker;
    private String subscriptionId;
    private Instant subscriptionRenewAt = Instant.EPOCH;

    GraphIngest(GraphServiceClient graph, UserEventPublisher publisher, IngestProperties properties,
            KafkaProperties kafka, MeterRegistry registry) {
        this.graph = graph;
        this.publisher = publisher;
        this.properties = properties;
        this.kafka = kafka;
        this.registry = registry;
        this.roundTimer = Timer.builder("profile_sync_graph_round").description("Duration of a Graph delta round")
                .register(registry);
        this.usersIngested = Counter.builder("profile_sync_graph_users_ingested")
                .description("Users read from Graph delta pages and published").register(registry);
        registry.gauge("profile_sync_graph_last_success_timestamp_seconds", lastSuccess, v -> v.get() / 1000.0);
        registry.counter("profile_sync_graph_errors", "status", "none");
    }

    /** Starts a delta round as soon as possible (a change notification arrived). */
    public void trigger() {
        triggered = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        IngestState state = IngestState.load(kafka.buildConsumerProperties());
        IngestProperties.Graph settings = properties.graph();
        Duration timeout = properties.intake().publishTimeout();
        DeltaSync delta = new DeltaSync(graph, publisher, state, timeout, clock);
        PhotoSweep photos = new PhotoSweep(graph, publisher, state, settings.photoBatchSize(), timeout, clock);
        Instant nextRound = Instant.EPOCH;
        Instant nextSweep = clock.instant().plus(settings.photoSweepInterval());
        Duration backoff = Duration.ofSeconds(1);
        while (worker == Thread.currentThread()) {
            try {
                keepSubscription(settings.webhook());
                if (triggered || !clock.instant().isBefore(nextRound)) {
                    triggered = false;
                    DeltaSync.Outcome outcome = roundTimer.recordCallable(delta::round);
                    usersIngested.increment(outcome.users());
                    registry.counter("profile_sync_graph_delta_rounds", "kind", outcome.full() ? "full" : "delta",
                            "outcome", "success").increment();
                    lastSuccess.set(clock.millis());
                    nextRound = clock.instant().plus(settings.deltaInterval());
                    log.debug("Delta round: {}", outcome);
                }
                if (!clock.instant().isBefore(nextSweep)) {
                    PhotoSweep.Outcome outcome = photos.sweep();
                    registry.counter("profile_sync_graph_photo_sweeps").increment();
                    log.info("Photo sweep: {}", outcome);
                    nextSweep = clock.instant().plus(settings.photoSweepInterval());
                }
                backoff = Duration.ofSeconds(1);
                sleepUntil(nextRound.isBefore(nextSweep) ? nextRound : nextSweep);
            } catch (Exception e) {
                if (worker != Thread.currentThread()) {
                    return;
                }
                String status = e instanceof ApiException api ? String.valueOf(api.getResponseStatusCode())
                        : e.getClass().getSimpleName();
                registry.counter("profile_sync_graph_errors", "status", status).increment();
                registry.counter("profile_sync_graph_delta_rounds", "kind", "any", "outcome", "failure").increment();
                log.warn("Graph ingest failed ({}), retrying in {}: {}", status, backoff, e.toString());
                sleepUntil(clock.instant().plus(backoff));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                nextRound = Instant.EPOCH;
            }
        }
    }

    private void keepSubscription(IngestProperties.Webhook webhook) {
        if (webhook.notificationUrl() == null || webhook.notificationUrl().isBlank()
                || clock.instant().isBefore(subscriptionRenewAt)) {
            return;
        }
        Subscription wanted = new Subscription();
        wanted.setExpirationDateTime(OffsetDateTime.ofInstant(clock.instant().plus(webhook.lifetime()),
                ZoneOffset.UTC));
        if (subscriptionId != null) {
            try {
                graph.subscriptions().bySubscriptionId(subscriptionId).patch(wanted);
                subscriptionRenewAt = clock.instant().plus(webhook.lifetime().multipliedBy(2).dividedBy(3));
                return;
            } catch (ApiException e) {
                log.warn("Renewing subscription {} failed ({}); creating a new one", subscriptionId,
                        e.getResponseStatusCode());
            }
        }
        wanted.setChangeType("updated,deleted");
        wanted.setNotificationUrl(webhook.notificationUrl());
        wanted.setResource("users");
        wanted.setClientState(webhook.clientState());
        subscriptionId = graph.subscriptions().post(wanted).getId();
        subscriptionRenewAt = clock.instant().plus(webhook.lifetime().multipliedBy(2).dividedBy(3));
        registry.counter("profile_sync_graph_subscriptions_created").increment();
        log.info("Subscribed to user changes: {} -> {}", subscriptionId, webhook.notificationUrl());
    }

    private void sleepUntil(Instant until) {
        long millis = Math.max(0, Duration.between(clock.instant(), until).toMillis());
        synchronized (wake) {
            if (!triggered && millis > 0) {
                try {
                    wake.wait(Math.min(millis, TimeUnit.MINUTES.toMillis(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    worker = null;
                }
            }
        }
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::loop, "graph-ingest");
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = worker;
        worker = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
