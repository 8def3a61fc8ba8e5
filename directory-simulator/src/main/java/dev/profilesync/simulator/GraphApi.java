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
    /** {@link System#nanoTime()} when the first delta page was asked for, 0 until then. */
    private final AtomicLong firstDeltaRequestNanos = new AtomicLong();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> photoRequestsInFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> photoRequestsMostInFlight =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong photoRequestsRefused = new AtomicLong();
    private volatile Faults faults = Faults.NONE;
    /** Graph answers 429 to an app's photo request beyond this many in flight at once. */
    private volatile int photoConcurrency = 4;

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

    /** {@link System#nanoTime()} when the first delta page was asked for, 0 until then. */
    long firstDeltaRequestNanos() {
        return firstDeltaRequestNanos.get();
    }

    void photoConcurrency(int limit) {
        this.photoConcurrency = limit;
    }

    /** The most photo requests ({@code /photo}, {@code /photos}, {@code $batch}) each client had in flight at once. */
    Map<String, Integer> photoRequestsMostInFlight() {
        Map<String, Integer> most = new java.util.TreeMap<>();
        photoRequestsMostInFlight.forEach((token, count) -> most.put(token, count.get()));
        return most;
    }

    /** Photo requests refused with 429 because the client had too many in flight. */
    long photoRequestsRefused() {
        return photoRequestsRefused.get();
    }

    /** Handles {@code /v1.0/...}; {@code path} is without the {@code /v1.0} prefix. */
    Reply handle(String method, String path, Map<String, String> query, String authorization, JsonNode body,
            String baseUrl) throws InterruptedException {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() < 8) {
            return Reply.error(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        if (!isPhoto(path)) {
            return served(method, path, query, authorization, body, baseUrl);
        }
        // Graph limits photo requests to a few in flight per app: beyond that, 429
        String token = authorization.substring("Bearer ".length());
        java.util.concurrent.atomic.AtomicInteger inFlight = photoRequestsInFlight.computeIfAbsent(token,
                t -> new java.util.concurrent.atomic.AtomicInteger());
        int now = inFlight.incrementAndGet();
        try {
            photoRequestsMostInFlight.computeIfAbsent(token, t -> new java.util.concurrent.atomic.AtomicInteger())
                    .accumulateAndGet(now, Math::max);
            if (now > photoConcurrency) {
                photoRequestsRefused.incrementAndGet();
                return Reply.error(429, "TooManyRequests", "Too many concurrent photo requests")
                        .withHeader("Retry-After", "1");
            }
            return served(method, path, query, authorization, body, baseUrl);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static boolean isPhoto(String path) {
        String[] parts = path.replaceAll("^/+", "").split("/");
        return parts[0].equals("$batch") || (parts.length >= 3 && parts[0].equals("users")
                && (parts[2].equals("photo") || parts[2].equals("photos")));
    }

    private Reply served(String method, String path, Map<String, String> query, String authorization,
            JsonNode body, String baseUrl) throws InterruptedException {
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
            if (firstDeltaRequestNanos.get() == 0) {
                firstDeltaRequestNanos.compareAndSet(0, System.nanoTime());
            }
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
            return photo(parts[1], null, parts.length == 4 && parts[3].equals("$value"));
        }
        if (method.equals("GET") && parts.length == 3 && parts[0].equals("users") && parts[2].equals("photos")) {
            return photoSizes(parts[1]);
        }
        if (method.equals("GET") && parts.length >= 4 && parts[0].equals("users") && parts[2].equals("photos")) {
            return photo(parts[1], parts[3], parts.length == 5 && parts[4].equals("$value"));
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

    /**
     * A photo's metadata or bytes: the default photo ({@code size} null, {@code /photo}) or one of Graph's sizes
     * ({@code /photos/48x48}). A generated photo exists in every size; a photo uploaded through the admin API is kept
     * as uploaded, in its one size, so for it every {@code /photos/{size}} is 404, as Graph answers for a size a photo
     * does not have.
     */
    private Reply photo(String userId, String size, boolean bytes) {
        Optional<Integer> index = tenant.indexOf(userId).filter(tenant::exists);
        if (index.isEmpty()) {
            return Reply.error(404, "Request_ResourceNotFound", "no user " + userId);
        }
        if (tenant.photoForbidden(index.get())) {
            return Reply.error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
        }
        Optional<String> etag = tenant.mediaEtag(index.get());
        Optional<byte[]> custom = tenant.customPhoto(index.get());
        int side = PhotoRenderer.SIZE;
        if (size != null) {
            side = sideOf(size);
            if (side < 0 || custom.isPresent()) {
                return Reply.error(404, "ImageNotFound", "The photo wasn't found in size " + size + ".");
            }
        }
        if (etag.isEmpty()) {
            return Reply.error(404, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception."
                    + "ImageNotFoundException' was thrown.");
        }
        if (bytes) {
            int chosen = side;
            byte[] image = custom.orElseGet(() -> PhotoRenderer.render(userId, tenant.photoVersion(index.get()),
                    chosen));
            return new Reply(200, "image/jpeg", image, Map.of("ETag", etag.get()));
        }
        return Reply.json(200, photoMeta(userId, etag.get(), side, size != null));
    }

    private static Map<String, Object> photoMeta(String userId, String etag, int side, boolean sized) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('" + userId + "')/"
                + (sized ? "photos" : "photo") + "/$entity");
        meta.put("@odata.mediaContentType", "image/jpeg");
        meta.put("@odata.mediaEtag", etag);
        meta.put("id", side + "X" + side);
        meta.put("height", side);
        meta.put("width", side);
        return meta;
    }

    /** {@code GET /users/{id}/photos}: the sizes the user's photo has. */
    private Reply photoSizes(String userId) {
        Optional<Integer> index = tenant.indexOf(userId).filter(tenant::exists);
        if (index.isEmpty()) {
            return Reply.error(404, "Request_ResourceNotFound", "no user " + userId);
        }
        Optional<String> etag = tenant.mediaEtag(index.get());
        List<Map<String, Object>> sizes = new ArrayList<>();
        if (etag.isPresent()) {
            List<Integer> sides = tenant.customPhoto(index.get()).isPresent() ? List.of(PhotoRenderer.SIZE)
                    : PhotoRenderer.SIDES;
            for (int side : sides) {
                sizes.add(photoMeta(userId, etag.get(), side, true));
            }
        }
        return Reply.json(200, Map.of("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('"
                + userId + "')/photos", "value", sizes));
    }

    /** The side of a Graph size id such as {@code 48x48}, or -1 when it is not one of Graph's sizes. */
    private static int sideOf(String size) {
        String[] sides = size.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (sides.length == 2 && sides[0].equals(sides[1]) && PhotoRenderer.SIDES.contains(Integer.parseInt(
                    sides[0]))) {
                return Integer.parseInt(sides[0]);
            }
        } catch (NumberFormatException e) {
            // not a size
        }
        return -1;
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
