package dev.profilesync.monitor.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The directory reader as its instances report it on their management ports: health and role (active or standby),
 * and from their metrics the last successful round, rounds, errors, notifications and deletions held.
 */
final class DirectoryReaderStatus {

    /** One directory-sync instance. */
    record Instance(String url, boolean reachable, String status, String role, Double lastSuccessEpochSeconds,
            double rounds, double errors, double notifications, double deletionsHeld) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Instance read(URI base) {
        String url = base.toString().replaceAll("/$", "");
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(health.body());
            String status = body.path("status").asString("UNKNOWN");
            String role = find(body, "role");
            String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double lastSuccess = sum(metrics, "profile_sync_graph_last_success_timestamp_seconds");
            return new Instance(url, true, status, role, lastSuccess > 0 ? lastSuccess : null,
                    sum(metrics, "profile_sync_graph_delta_rounds_total"), sum(metrics, "profile_sync_graph_errors_total"),
                    sum(metrics, "profile_sync_graph_notifications_total"),
                    sum(metrics, "profile_sync_graph_deletions_held"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Instance(url, false, "UNREACHABLE", null, null, 0, 0, 0, 0);
        }
    }

    private static String find(JsonNode node, String name) {
        if (node.isObject()) {
            if (node.has(name) && node.get(name).isString()) {
                return node.get(name).asString();
            }
            for (JsonNode child : node) {
                String found = find(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The sum of a metric's samples (all label sets) in Prometheus text format. */
    static double sum(String metrics, String name) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                try {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException ignored) {
                    // a sample that is not a number (NaN is parsed) does not count
                }
            }
        }
        return total;
    }
}
