package dev.profilesync.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a client of the product does: post changes to the intake, read profiles from the read API. */
final class ProfileSyncClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalSettings settings;

    ProfileSyncClient(LocalSettings settings) {
        this.settings = settings;
    }

    HttpResponse<String> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.ingestPort()
                + "/api/v1/changes"))
                .header("Content-Type", "application/json")
                .header("X-Api-Key", settings.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    /** The profile, or null when the read API answers 404. */
    JsonNode profile(String userId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + settings.applierPort() + "/api/v1/profiles/" + userId)).header("Authorization", bearer(
                        LocalTokens.READ_TOKEN)).build());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("read API answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The {@code Authorization} header with the embedded default's token {@code file} (read or operator). */
    String bearer(String file) {
        try {
            return "Bearer " + java.nio.file.Files.readString(settings.dataDir().resolve(file)).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET on the applier as an operator (who may also read); the body as JSON, or null on 404. */
    JsonNode applierGet(String pathAndQuery) {
        return operate(settings.applierPort(), pathAndQuery);
    }

    /** GET as an operator on {@code port} (an API or a management port); the body as JSON, or null on 404. */
    JsonNode operate(int port, String pathAndQuery) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port + pathAndQuery)).header("Authorization", bearer(
                        LocalTokens.OPERATOR_TOKEN)).build());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Values of a Prometheus metric scraped from the service on {@code port}, keyed by their label text. */
    java.util.Map<String, Double> metric(int port, String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/prometheus")).build());
        java.util.Map<String, Double> values = new java.util.HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + "{")) {
                values.put(line.substring(name.length(), line.lastIndexOf('}') + 1),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return values;
    }

    String field(String userId, String field) {
        JsonNode profile = profile(userId);
        return profile == null || !profile.has(field) ? null : profile.get(field).asString();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
