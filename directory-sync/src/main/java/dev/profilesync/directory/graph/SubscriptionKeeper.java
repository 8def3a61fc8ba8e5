package dev.profilesync.directory.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;

import dev.profilesync.directory.DirectorySyncProperties;
import dev.profilesync.directory.leader.FencedPublisher;
import dev.profilesync.directory.leader.LeadershipLostException;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps one Graph change-notification subscription per tenant. Its id is kept in the directory state, so an instance
 * that restarts or takes over renews the same subscription instead of adding one; a clean shutdown deletes it. A
 * failure (Graph refuses, the notification URL does not answer the validation) only means notifications are missing:
 * it is counted and logged, and tried again a minute later, while delta rounds go on by the schedule.
 */
final class SubscriptionKeeper {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionKeeper.class);
    private static final Duration RETRY = Duration.ofMinutes(1);

    private final GraphServiceClient graph;
    private final DirectorySyncProperties.Webhook webhook;
    private final MeterRegistry registry;
    private final Clock clock;
    private Instant next = Instant.EPOCH;

    SubscriptionKeeper(GraphServiceClient graph, DirectorySyncProperties.Webhook webhook, MeterRegistry registry,
            Clock clock) {
        this.graph = graph;
        this.webhook = webhook;
        this.registry = registry;
        this.clock = clock;
        registry.counter("profile_sync_graph_subscription_failures");
    }

    boolean enabled() {
        return webhook.notificationUrl() != null && !webhook.notificationUrl().isBlank();
    }

    /** Creates or renews the subscription when due. Never throws, except when this instance lost its lease. */
    void keep(DirectoryState state, FencedPublisher publisher) {
        if (!enabled() || clock.instant().isBefore(next)) {
            return;
        }
        try {
            String id = state.subscriptionId();
            if (id != null && renew(id)) {
                next = clock.instant().plus(webhook.lifetime().multipliedBy(2).dividedBy(3));
                return;
            }
            String created = create();
            var save = List.of(state.saveSubscription(created));
            publisher.publish(save);
            state.committed(save);
            next = clock.instant().plus(webhook.lifetime().multipliedBy(2).dividedBy(3));
        } catch (LeadershipLostException e) {
            throw e;
        } catch (RuntimeException e) {
            registry.counter("profile_sync_graph_subscription_failures").increment();
            log.warn("Keeping the change-notification subscription failed; delta rounds go on by the schedule, "
                    + "trying again in {}: {}", RETRY, e.toString());
            next = clock.instant().plus(RETRY);
        }
    }

    private boolean renew(String id) {
        Subscription wanted = new Subscription();
        wanted.setExpirationDateTime(expiry());
        try {
            graph.subscriptions().bySubscriptionId(id).patch(wanted);
            return true;
        } catch (ApiException e) {
            log.warn("Renewing subscription {} failed ({}); creating a new one", id, e.getResponseStatusCode());
            return false;
        }
    }

    private String create() {
        Subscription wanted = new Subscription();
        wanted.setExpirationDateTime(expiry());
        wanted.setChangeType("updated,deleted");
        wanted.setNotificationUrl(webhook.notificationUrl());
        wanted.setResource("users");
        wanted.setClientState(webhook.clientState());
        String id = graph.subscriptions().post(wanted).getId();
        registry.counter("profile_sync_graph_subscriptions_created").increment();
        log.info("Subscribed to user changes: {} -> {}", id, webhook.notificationUrl());
        return id;
    }

    /** Deletes the subscription on a clean shutdown, so stopped instances leave none behind. */
    void delete(DirectoryState state, FencedPublisher publisher) {
        String id = state.subscriptionId();
        if (id == null) {
            return;
        }
        try {
            graph.subscriptions().bySubscriptionId(id).delete();
            log.info("Deleted subscription {}", id);
        } catch (RuntimeException e) {
            log.warn("Deleting subscription {} failed; it expires by itself: {}", id, e.toString());
        }
        try {
            var forget = List.of(state.saveSubscription(null));
            publisher.publish(forget);
            state.committed(forget);
        } catch (RuntimeException e) {
            log.warn("Could not forget subscription {}: {}", id, e.toString());
        }
    }

    private OffsetDateTime expiry() {
        return OffsetDateTime.ofInstant(clock.instant().plus(webhook.lifetime()), ZoneOffset.UTC);
    }
}
