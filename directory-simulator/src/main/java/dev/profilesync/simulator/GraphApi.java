package dev.profilesync.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * The Graph v1.0 surface of the simulator: users delta, photos, {@code $batch} and subscriptions, behind a bearer
 * token check and the configured faults.
 */
final class GraphApi {

    static final int MAX_BATCH = 20;

    private final Tenant tenant;
    private final DeltaQuery delta;
    private final Subscriptions subscriptions;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong faultsServed = new AtomicLong();
    private final Map<String, AtomicLong> deltaRequestsByToken = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Faults faults = Faults.NONE;

    GraphApi(Tenant tenant, DeltaQuery delta, Subscriptions subscriptions) {
        this.tenant = tenant;
        this.delta = delta;
        this.subscriptions = subscriptions;
    }

    void faults(Faults faults) {
        this.faults = faults;
    }

    Faults faults() {
        return faults;
    }

    /** Responses so far that were 429, 503 or broken JSON because of the faults. */
    long faultsServed() {
        return faultsServed.get();
    }

    /** Delta page requests served so far, per bearer token (the SDK of each client sends its own). */
    Map<String, Long> deltaRequestsByToken() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        deltaRequestsByToken.forEach((token, count) -> counts.put(token, count.get()));
        return counts;
    }

    /** Handles {@code /v1.0/...}; {@code path} is without the {@code /v1.0} prefix. */
    Reply handle(String method, String path, Map<String, String> query, String authorization, JsonNode body,
            String baseUrl) throws InterruptedException {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() < 8) {
            return Reply.error(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        Faults current = faults;
        if (current.delayMillis() > 0) {
            Thread.sleep(current.delayMillis());
        }
        switch (current.next(requests)) {
            case THROTTLE -> {
                faultsServed.incrementAndGet();
                return Reply.error(429, "TooManyRequests", "Too many requests")
                        .withHeader("Retry-After", String.valueOf(current.retryAfterSeconds()));
            }
            case UNAVAILABLE -> {
                faultsServed.incrementAndGet();
                return Reply.error(503, "serviceNotAvailable", "Service unavailable")
                        .withHeader("Retry-After", String.valueOf(current.retryAfterSeconds()));
            }
            default -> {
            }
        }
        if (isDelta(path)) {
            deltaRequestsByToken.computeIfAbsent(authorization.substring("Bearer ".length()), t -> new AtomicLong())
                    .incrementAndGet();
        }
        return route(method, path, query, body, baseUrl, current);
    }

    private static boolean isDelta(String path) {
        String trimmed = path.replaceAll("^/+", "");
        return trimmed.equals("users/delta") || trimmed.equals("users/delta()");
    }

    private Reply route(String method, String path, Map<String, String> query, JsonNode body, String baseUrl,
            Faults current) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (method.equals("GET") && parts.length == 2 && parts[0].equals("users")
                && (parts[1].equals("delta") || parts[1].equals("delta()"))) {
            Reply page = delta.page(query, baseUrl);
            if (page.status() == 200 && current.malformed(pages)) {
                faultsServed.incrementAndGet();
                byte[] broken = java.util.Arrays.copyOf(page.body(), Math.max(1, page.body().length / 2));
                return new Reply(200, "application/json", broken, Map.of());
            }
            return page;
        }
        if (method.equals("GET") && parts.length >= 3 && parts[0].equals("users") && parts[2].equals("photo")) {
            return photo(parts[1], parts.length == 4 && parts[3].equals("$value"));
        }
        if (method.equals("GET") && parts.length == 2 && parts[0].equals("users")) {
            return tenant.userById(parts[1]).map(user -> Reply.json(200, user))
                    .orElseGet(() -> Reply.error(404, "Request_ResourceNotFound", "no user " + parts[1]));
        }
        if (method.equals("POST") && parts.length == 1 && parts[0].equals("$batch")) {
            return batch(body, baseUrl, current);
        }
        if (parts[0].equals("subscriptions")) {
            return switch (method) {
                case "POST" -> subscriptions.create(body);
                case "PATCH" -> subscriptions.renew(parts[1], body);
                case "DELETE" -> subscriptions.delete(parts[1]);
                default -> subscriptions.list();
            };
        }
        return Reply.error(404, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }

    private Reply photo(String userId, boolean bytes) {
        Optional<Integer> index = tenant.indexOf(userId).filter(tenant::exists);
        if (index.isEmpty()) {
            return Reply.error(404, "Request_ResourceNotFound", "no user " + userId);
        }
        if (tenant.photoForbidden(index.get())) {
            return Reply.error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }
        Optional<String> etag = tenant.mediaEtag(index.get());
        if (etag.isEmpty()) {
            return Reply.error(404, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception."
                    + "ImageNotFoundException' was thrown.");
        }
        if (bytes) {
            byte[] image = tenant.customPhoto(index.get()).orElseGet(() -> PhotoRenderer.render(
                    String.valueOf(tenant.user(index.get()).get("displayName")), userId,
                    tenant.photoVersion(index.get())));
            return new Reply(200, "image/jpeg", image, Map.of("ETag", etag.get()));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('" + userId + "')/photo/$entity");
        meta.put("@odata.mediaContentType", "image/jpeg");
        meta.put("@odata.mediaEtag", etag.get());
        meta.put("id", PhotoRenderer.SIZE + "X" + PhotoRenderer.SIZE);
        meta.put("height", PhotoRenderer.SIZE);
        meta.put("width", PhotoRenderer.SIZE);
        return Reply.json(200, meta);
    }

    private Reply batch(JsonNode body, String baseUrl, Faults current) {
        JsonNode requests = body == null ? null : body.get("requests");
        if (requests == null || !requests.isArray()) {
            return Reply.error(400, "BadRequest", "Invalid batch payload format.");
        }
        if (requests.size() > MAX_BATCH) {
            return Reply.error(400, "BadRequest", "Exceeded the maximum number of batch requests of " + MAX_BATCH);
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        for (JsonNode request : requests) {
            String url = request.path("url").asString("");
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            path = URLDecoder.decode(path.replaceFirst("^/?(v1\\.0)?", ""), StandardCharsets.UTF_8);
            Reply reply = route(request.path("method").asString("GET"), path, Map.of(), null, baseUrl, current);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("id", request.path("id").asString());
            response.put("status", reply.status());
            Map<String, String> headers = new LinkedHashMap<>(reply.headers());
            if (reply.contentType() != null) {
                headers.put("Content-Type", reply.contentType());
            }
            response.put("headers", headers);
            if ("application/json".equals(reply.contentType())) {
                response.put("body", Reply.JSON.readTree(reply.body()));
            }
            responses.add(response);
        }
        return Reply.json(200, Map.of("responses", responses));
    }
}
