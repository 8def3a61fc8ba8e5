package dev.profilesync.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;

/**
 * Change-notification subscriptions on {@code users}: creation validates the notification URL (it must echo the
 * validation token), renewal moves the expiry, and every change of a user is notified, in batches, with the
 * subscription's clientState, until the subscription expires.
 */
final class Subscriptions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
    private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(10);

    /** A live subscription. */
    record Subscription(String id, String notificationUrl, String clientState, Instant expiration) {
    }

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService dispatcher = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "graph-simulator-notifications"));

    Subscriptions(Tenant tenant) {
        tenant.onChange(ids -> {
            synchronized (pending) {
                pending.addAll(ids);
            }
        });
        dispatcher.scheduleWithFixedDelay(this::dispatch, 250, 250, TimeUnit.MILLISECONDS);
    }

    Reply create(JsonNode body) {
        String url = body.path("notificationUrl").asString("");
        String resource = body.path("resource").asString("");
        if (!resource.equalsIgnoreCase("users") && !resource.equalsIgnoreCase("/users")) {
            return Reply.error(400, "InvalidRequest", "only the users resource can be subscribed to here");
        }
        String token = UUID.randomUUID().toString();
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&"
                    : "?") + "validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                    .timeout(VALIDATION_TIMEOUT).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || !token.equals(answer.body())) {
                return Reply.error(400, "ValidationError", "Subscription validation request failed. Response must "
                        + "exactly match validationToken query parameter.");
            }
        } catch (Exception e) {
            return Reply.error(400, "ValidationError", "Subscription validation request failed: " + e.getMessage());
        }
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), url,
                body.path("clientState").asString(null), expiration(body));
        subscriptions.put(subscription.id(), subscription);
        return Reply.json(201, json(subscription, body.path("changeType").asString("updated")));
    }

    Reply renew(String id, JsonNode body) {
        Subscription current = subscriptions.get(id);
        if (current == null) {
            return Reply.error(404, "ResourceNotFound", "no subscription " + id);
        }
        Subscription renewed = new Subscription(id, current.notificationUrl(), current.clientState(),
                expiration(body));
        subscriptions.put(id, renewed);
        return Reply.json(200, json(renewed, "updated"));
    }

    Reply delete(String id) {
        return subscriptions.remove(id) == null ? Reply.error(404, "ResourceNotFound", "no subscription " + id)
                : Reply.empty(204);
    }

    Reply list() {
        return Reply.json(200, Map.of("value", subscriptions.values().stream().map(s -> json(s, "updated")).toList()));
    }

    private void dispatch() {
        List<String> ids;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(pending);
            pending.clear();
        }
        Instant now = Instant.now();
        for (Subscription subscription : subscriptions.values()) {
            if (subscription.expiration().isBefore(now)) {
                continue;
            }
            for (int from = 0; from < ids.size(); from += 100) {
                List<Map<String, Object>> value = new ArrayList<>();
                for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                    Map<String, Object> notification = new LinkedHashMap<>();
                    notification.put("subscriptionId", subscription.id());
                    notification.put("subscriptionExpirationDateTime", subscription.expiration().toString());
                    notification.put("clientState", subscription.clientState());
                    notification.put("changeType", "updated");
                    notification.put("resource", "Users/" + id);
                    notification.put("tenantId", "00000000-0000-4000-8000-000000000000");
                    notification.put("resourceData", Map.of("@odata.type", "#Microsoft.Graph.User", "@odata.id",
                            "Users/" + id, "id", id));
                    value.add(notification);
                }
                send(subscription, Map.of("value", value));
            }
        }
    }

    private void send(Subscription subscription, Map<String, Object> body) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(subscription.notificationUrl())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Reply.JSON.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            log.debug("notification to {} failed: {}", subscription.notificationUrl(), e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Instant expiration(JsonNode body) {
        String text = body.path("expirationDateTime").asString(null);
        return text == null ? Instant.now().plus(Duration.ofHours(1)) : java.time.OffsetDateTime.parse(text)
                .toInstant();
    }

    private static Map<String, Object> json(Subscription s, String changeType) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("resource", "users");
        out.put("changeType", changeType);
        out.put("notificationUrl", s.notificationUrl());
        out.put("clientState", s.clientState());
        out.put("expirationDateTime", s.expiration().toString());
        return out;
    }

    @Override
    public void close() {
        dispatcher.shutdownNow();
    }
}
