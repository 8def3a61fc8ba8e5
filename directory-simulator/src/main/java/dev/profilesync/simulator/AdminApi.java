package dev.profilesync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * {@code /admin}: what tests, benchmarks and people use to drive the tenant and to learn its truth.
 * <ul>
 * <li>{@code GET truth?attributes=a,b} the number of users and a checksum of their attributes</li>
 * <li>{@code GET users?offset=&limit=} a page of current users</li>
 * <li>{@code POST users} hire; {@code PATCH users/{id}} change attributes; {@code DELETE users/{id}} leaver</li>
 * <li>{@code POST users/{id}/photo} a new photo (the body's bytes, or a rendered one); {@code DELETE} removes it</li>
 * <li>{@code GET clients}: delta page requests served per client (bearer token), the most photo requests each client
 * had in flight at once, and how many photo requests were refused with 429 for too many in flight (Graph allows 4 per
 * app)</li>
 * <li>{@code PUT faults}, {@code POST tokens/expire}, {@code PUT generator} ({@code {"changesPerSecond":5}})</li>
 * </ul>
 */
final class AdminApi {

    private final Tenant tenant;
    private final GraphApi graph;
    private final DeltaQuery delta;
    private final ChangeGenerator generator;

    AdminApi(Tenant tenant, GraphApi graph, DeltaQuery delta, ChangeGenerator generator) {
        this.tenant = tenant;
        this.graph = graph;
        this.delta = delta;
        this.generator = generator;
    }

    Reply handle(String method, String path, Map<String, String> query, byte[] raw) {
        String[] parts = path.split("/");
        JsonNode body = raw.length == 0 || !looksLikeJson(raw) ? null : Reply.JSON.readTree(raw);
        return switch (method + " " + parts[0] + (parts.length > 2 ? "/" + parts[2] : parts.length > 1 ? "/id" : "")) {
            case "GET truth" -> truth(query.getOrDefault("attributes", "displayName,jobTitle,department"));
            case "GET users" -> users(Integer.parseInt(query.getOrDefault("offset", "0")),
                    Integer.parseInt(query.getOrDefault("limit", "100")));
            case "GET users/id" -> tenant.userById(parts[1]).map(u -> Reply.json(200, u))
                    .orElseGet(() -> Reply.error(404, "NotFound", "no user " + parts[1]));
            case "POST users" -> Reply.json(201, Map.of("id", tenant.hire()));
            case "PATCH users/id" -> {
                Map<String, Object> attributes = new LinkedHashMap<>();
                body.properties().forEach(e -> attributes.put(e.getKey(), Reply.JSON.treeToValue(e.getValue(),
                        Object.class)));
                tenant.update(parts[1], attributes);
                yield Reply.empty(204);
            }
            case "DELETE users/id" -> {
                tenant.delete(parts[1]);
                yield Reply.empty(204);
            }
            case "POST users/photo" -> {
                tenant.changePhoto(parts[1], raw.length == 0 ? null : raw);
                yield Reply.empty(204);
            }
            case "DELETE users/photo" -> {
                tenant.removePhoto(parts[1]);
                yield Reply.empty(204);
            }
            case "PUT faults" -> {
                graph.faults(Reply.JSON.treeToValue(body, Faults.class));
                yield Reply.json(200, graph.faults());
            }
            case "POST tokens/id" -> {
                delta.expireTokens();
                yield Reply.empty(204);
            }
            case "PUT generator" -> {
                generator.rate(body.path("changesPerSecond").asDouble(0));
                yield Reply.json(200, Map.of("changesPerSecond", generator.rate()));
            }
            case "GET clients" -> Reply.json(200, Map.of("deltaRequests", graph.deltaRequestsByToken(),
                    "photoRequestsMostInFlight", graph.photoRequestsMostInFlight(),
                    "photoRequestsRefused", graph.photoRequestsRefused()));
            case "GET sequence" -> Reply.json(200, Map.of("sequence", tenant.sequence()));
            default -> Reply.error(404, "NotFound", "no admin operation " + method + " " + path);
        };
    }

    private Reply truth(String attributes) {
        List<String> names = List.of(attributes.split(","));
        return Reply.json(200, Map.of("users", tenant.presentUsers(), "attributes", names, "checksum",
                tenant.checksum(names)));
    }

    private Reply users(int offset, int limit) {
        List<Map<String, Object>> page = new ArrayList<>();
        int index = offset;
        while (index < tenant.size() && page.size() < limit) {
            if (tenant.exists(index)) {
                page.add(tenant.user(index));
            }
            index++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", page);
        out.put("next", index < tenant.size() ? index : null);
        return Reply.json(200, out);
    }

    private static boolean looksLikeJson(byte[] raw) {
        return raw[0] == '{' || raw[0] == '[';
    }
}
