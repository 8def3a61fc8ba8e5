package dev.profilesync.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The tenant's state: seeded users, what changed since (an overlay and a change log numbered by sequence) and photos.
 * Delta tokens are sequence numbers of this log. All methods are synchronized; the tenant is small next to the work
 * done with what it returns.
 */
public final class Tenant {

    /** One entry of the change log. */
    record Change(long seq, int index, Kind kind, Set<String> properties) {
    }

    enum Kind {
        CREATED,
        UPDATED,
        DELETED
    }

    private final SyntheticPeople people;
    private final int initialUsers;
    private final Map<Integer, Map<String, Object>> overrides = new HashMap<>();
    private final Set<Integer> deleted = new HashSet<>();
    private final List<Change> log = new ArrayList<>();
    private final Map<Integer, Integer> photoVersions = new HashMap<>();
    private final Set<Integer> photoRemoved = new HashSet<>();
    private final Set<Integer> photoForbidden = new HashSet<>();
    private final Map<Integer, byte[]> customPhotos = new HashMap<>();
    private final List<Consumer<List<String>>> listeners = new ArrayList<>();
    private int hires;

    Tenant(long seed, int users) {
        this.people = new SyntheticPeople(seed, "contoso.example");
        this.initialUsers = users;
    }

    synchronized void onChange(Consumer<List<String>> listener) {
        listeners.add(listener);
    }

    /** Next sequence number: a delta token taken now reports every change made from here on. */
    public synchronized long sequence() {
        return log.size();
    }

    synchronized int size() {
        return initialUsers + hires;
    }

    synchronized boolean exists(int index) {
        return index >= 0 && index < initialUsers + hires && !deleted.contains(index);
    }

    public synchronized int presentUsers() {
        return initialUsers + hires - deleted.size();
    }

    synchronized Optional<Integer> indexOf(String id) {
        int index = people.indexOf(id);
        return index >= 0 && index < initialUsers + hires ? Optional.of(index) : Optional.empty();
    }

    synchronized String idOf(int index) {
        return people.id(index);
    }

    /** The manager of a user: every user but the first reports to the user at a tenth of its index. */
    synchronized Optional<String> managerOf(int index) {
        return index == 0 ? Optional.empty() : Optional.of(people.id(index / 10));
    }

    /** Current attributes of a present user; {@code managerId} stands for the manager relationship. */
    public synchronized Map<String, Object> user(int index) {
        Map<String, Object> user = people.user(index);
        managerOf(index).ifPresent(manager -> user.put("managerId", manager));
        Map<String, Object> changes = overrides.get(index);
        if (changes != null) {
            user.putAll(changes);
        }
        return user;
    }

    public synchronized Optional<Map<String, Object>> userById(String id) {
        return indexOf(id).filter(this::exists).map(this::user);
    }

    /** Changes some attributes of a user (null clears one). */
    public synchronized void update(String id, Map<String, Object> attributes) {
        int index = indexOf(id).filter(this::exists).orElseThrow(() -> new IllegalArgumentException("no user " + id));
        overrides.computeIfAbsent(index, i -> new LinkedHashMap<>()).putAll(attributes);
        record(index, Kind.UPDATED, attributes.keySet());
    }

    /** A new hire; returns the new user's id. */
    public synchronized String hire() {
        int index = initialUsers + hires++;
        String id = idOf(index);
        record(index, Kind.CREATED, Set.of());
        return id;
    }

    public synchronized void delete(String id) {
        int index = indexOf(id).filter(this::exists).orElseThrow(() -> new IllegalArgumentException("no user " + id));
        deleted.add(index);
        record(index, Kind.DELETED, Set.of());
    }

    /** Changes a user's photo: new bytes, or (null) a newly rendered one. The media etag changes. */
    public synchronized void changePhoto(String id, byte[] bytes) {
        int index = indexOf(id).orElseThrow(() -> new IllegalArgumentException("no user " + id));
        photoVersions.merge(index, 1, Integer::sum);
        photoRemoved.remove(index);
        if (bytes == null) {
            customPhotos.remove(index);
        } else {
            customPhotos.put(index, bytes);
        }
    }

    /**
     * From now on Graph refuses every request for this user's photo with 403, as it does when the app lacks the
     * permission for that mailbox; {@code false} lifts it.
     */
    public synchronized void forbidPhoto(String id, boolean forbidden) {
        int index = indexOf(id).orElseThrow(() -> new IllegalArgumentException("no user " + id));
        if (forbidden) {
            photoForbidden.add(index);
        } else {
            photoForbidden.remove(index);
        }
    }

    synchronized boolean photoForbidden(int index) {
        return photoForbidden.contains(index);
    }

    public synchronized void removePhoto(String id) {
        int index = indexOf(id).orElseThrow(() -> new IllegalArgumentException("no user " + id));
        photoRemoved.add(index);
        photoVersions.merge(index, 1, Integer::sum);
    }

    /** The photo's media etag, or empty when the user has none. Every tenth seeded user starts without one. */
    synchronized Optional<String> mediaEtag(int index) {
        if (!exists(index) || photoRemoved.contains(index) || (index % 10 == 0 && !photoVersions.containsKey(index))) {
            return Optional.empty();
        }
        int version = photoVersions.getOrDefault(index, 0);
        return Optional.of("W/\"" + digest(idOf(index) + "#" + version).substring(0, 16) + "\"");
    }

    synchronized int photoVersion(int index) {
        return photoVersions.getOrDefault(index, 0);
    }

    synchronized Optional<byte[]> customPhoto(int index) {
        return Optional.ofNullable(customPhotos.get(index));
    }

    /** Changes since {@code fromSeq} up to {@code toSeq}, folded per user, by user index. */
    synchronized TreeMap<Integer, Change> changesBetween(long fromSeq, long toSeq) {
        TreeMap<Integer, Change> folded = new TreeMap<>();
        for (long seq = Math.max(0, fromSeq); seq < Math.min(toSeq, log.size()); seq++) {
            Change change = log.get((int) seq);
            Change before = folded.get(change.index());
            if (before == null) {
                folded.put(change.index(), change);
            } else {
                Set<String> properties = new HashSet<>(before.properties());
                properties.addAll(change.properties());
                Kind kind = before.kind() == Kind.CREATED && change.kind() != Kind.DELETED ? Kind.CREATED
                        : change.kind();
                folded.put(change.index(), new Change(change.seq(), change.index(), kind, properties));
            }
        }
        return folded;
    }

    /** SHA-256 over every present user's id and directory attributes, ordered by id: the tenant's truth. */
    public synchronized String checksum(List<String> attributes) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (int index = 0; index < initialUsers + hires; index++) {
            if (exists(index)) {
                Map<String, Object> user = user(index);
                StringBuilder line = new StringBuilder();
                for (String attribute : attributes) {
                    line.append(user.get(attribute)).append('|');
                }
                lines.put((String) user.get("id"), line.toString());
            }
        }
        StringBuilder all = new StringBuilder();
        lines.forEach((id, line) -> all.append(id).append('|').append(line).append('\n'));
        return digest(all.toString());
    }

    private void record(int index, Kind kind, Set<String> properties) {
        log.add(new Change(log.size(), index, kind, Set.copyOf(properties)));
        String id = idOf(index);
        listeners.forEach(listener -> listener.accept(List.of(id)));
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
