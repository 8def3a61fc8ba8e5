package dev.profilesync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * {@code GET /v1.0/users/delta}: a full round pages through every user; an incremental round (a delta token) returns
 * the users that changed since the token, with only their changed properties, and {@code @removed} for leavers.
 * Tokens are change-log sequence numbers plus the time they were issued; an expired one answers 410.
 */
final class DeltaQuery {

    /** Marks a select set that asks for the manager relationship ({@code $expand=manager}). */
    private static final String MANAGER = "$expand=manager";

    private final Tenant tenant;
    private final int pageSize;
    private final long tokenTtlMillis;
    /** Tokens carry the epoch they were issued in; expiring tokens starts a new epoch. */
    private volatile long epoch;

    DeltaQuery(Tenant tenant, int pageSize, long tokenTtlMillis) {
        this.tenant = tenant;
        this.pageSize = pageSize;
        this.tokenTtlMillis = tokenTtlMillis;
    }

    /** Makes every delta token issued so far invalid: their next use answers 410 and forces a full resync. */
    void expireTokens() {
        epoch++;
    }

    Reply page(Map<String, String> query, String baseUrl) {
        Set<String> select = select(query.get("$select"));
        boolean expandManager = query.getOrDefault("$expand", "").contains("manager");
        if (expandManager) {
            select = select == null ? null : new java.util.LinkedHashSet<>(select);
            if (select != null) {
                select.add(MANAGER);
            }
        }
        String skip = query.get("$skiptoken");
        String delta = query.get("$deltatoken");
        long now = System.currentTimeMillis();
        if (skip == null && delta == null) {
            return full(0, tenant.sequence(), now, select, baseUrl);
        }
        if ("latest".equals(delta)) {
            return page(List.of(), null, deltaLink(baseUrl, tenant.sequence(), now, select));
        }
        String[] parts = (skip != null ? skip : delta).split("\\.");
        try {
            checkAlive(Long.parseLong(parts[parts.length - 2]), Long.parseLong(parts[parts.length - 1]), now);
            if (delta != null) {
                return incremental(Long.parseLong(parts[0]), tenant.sequence(), -1, now, select, baseUrl);
            }
            long issued = Long.parseLong(parts[parts.length - 2]);
            if (parts[0].equals("f")) {
                return full(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), issued, select, baseUrl);
            }
            return incremental(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Integer.parseInt(parts[3]), issued,
                    select, baseUrl);
        } catch (Expired e) {
            return Reply.error(410, "resyncRequired", "The delta token has expired; start a new full synchronisation");
        } catch (RuntimeException e) {
            return Reply.error(400, "badRequest", "invalid token");
        }
    }

    private Reply full(int from, long roundSeq, long issued, Set<String> select, String baseUrl) {
        List<Map<String, Object>> users = new ArrayList<>();
        int index = from;
        int size = tenant.size();
        while (index < size && users.size() < pageSize) {
            if (tenant.exists(index)) {
                users.add(selected(tenant.user(index), select));
            }
            index++;
        }
        if (index < size) {
            return page(users, link(baseUrl, "$skiptoken=f." + index + "." + roundSeq + "." + issued + "." + epoch,
                    select), null);
        }
        return page(users, null, deltaLink(baseUrl, roundSeq, System.currentTimeMillis(), select));
    }

    /**
     * The changes of a round folded per user, kept for the round's next pages: folding them again for every page made
     * a round of n changes cost n²/200, and the simulator, not the reader, the bottleneck at thousands of changes per
     * second. The log only grows, so a round's fold never changes.
     */
    private final Map<String, NavigableMap<Integer, Tenant.Change>> folded = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, NavigableMap<Integer, Tenant.Change>> eldest) {
                    return size() > 8;
                }
            });

    private Reply incremental(long since, long roundSeq, int after, long issued, Set<String> select, String baseUrl) {
        NavigableMap<Integer, Tenant.Change> round = folded.computeIfAbsent(since + ":" + roundSeq,
                key -> java.util.Collections.unmodifiableNavigableMap(tenant.changesBetween(since, roundSeq)));
        NavigableMap<Integer, Tenant.Change> changes = round.tailMap(after, false);
        List<Map<String, Object>> users = new ArrayList<>();
        int last = after;
        for (Tenant.Change change : changes.values()) {
            if (users.size() >= pageSize) {
                break;
            }
            last = change.index();
            String id = tenant.idOf(change.index());
            if (!tenant.exists(change.index())) {
                users.add(Map.of("id", id, "@removed", Map.of("reason", "deleted")));
            } else if (change.kind() == Tenant.Kind.CREATED) {
                users.add(selected(tenant.user(change.index()), select));
            } else {
                Map<String, Object> user = tenant.user(change.index());
                Map<String, Object> changed = new LinkedHashMap<>();
                changed.put("id", id);
                for (String property : change.properties()) {
                    if (select == null || select.contains(property)) {
                        changed.put(property, user.get(property));
                    }
                }
                if (changed.size() > 1) {
                    users.add(changed);
                }
            }
        }
        if (changes.tailMap(last, false).isEmpty()) {
            return page(users, null, deltaLink(baseUrl, roundSeq, System.currentTimeMillis(), select));
        }
        return page(users, link(baseUrl, "$skiptoken=i." + since + "." + roundSeq + "." + last + "." + issued + "."
                + epoch, select), null);
    }

    private void checkAlive(long issued, long tokenEpoch, long now) {
        if (tokenEpoch != epoch || now - issued > tokenTtlMillis) {
            throw new Expired();
        }
    }

    private static Reply page(List<Map<String, Object>> users, String nextLink, String deltaLink) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users");
        if (nextLink != null) {
            body.put("@odata.nextLink", nextLink);
        }
        if (deltaLink != null) {
            body.put("@odata.deltaLink", deltaLink);
        }
        body.put("value", users);
        return Reply.json(200, body);
    }

    private String deltaLink(String baseUrl, long sequence, long issued, Set<String> select) {
        return link(baseUrl, "$deltatoken=" + sequence + "." + issued + "." + epoch, select);
    }

    private static String link(String baseUrl, String token, Set<String> select) {
        String link = baseUrl + "/v1.0/users/delta()?" + token;
        if (select == null) {
            return link;
        }
        List<String> properties = select.stream().filter(p -> !p.equals(MANAGER)).toList();
        return link + "&$select=" + String.join(",", properties)
                + (select.contains(MANAGER) ? "&$expand=manager($select=id)" : "");
    }

    private static Map<String, Object> selected(Map<String, Object> user, Set<String> select) {
        if (select == null) {
            return user;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.get("id"));
        select.forEach(property -> {
            if (user.containsKey(property) && !property.equals("managerId")) {
                out.put(property, user.get(property));
            }
        });
        if (select.contains(MANAGER) && user.get("managerId") != null) {
            out.put("manager", Map.of("@odata.type", "#microsoft.graph.user", "id", user.get("managerId")));
        }
        return out;
    }

    private static Set<String> select(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return new java.util.LinkedHashSet<>(List.of(value.split(",")));
    }

    /** An expired delta or skip token. */
    private static final class Expired extends RuntimeException {
        Expired() {
            super(null, null, false, false);
        }
    }
}
