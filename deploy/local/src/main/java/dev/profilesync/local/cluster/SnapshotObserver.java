package dev.profilesync.local.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.profilesync.events.Topics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches {@code profile.snapshots} as a downstream service would ({@code read_committed}), and from it measures
 * (it also counts the changes on {@code directory.user-changes}, by the second they were produced, and keeps the event
 * ids of the load's changes, to tell whether an accepted change reached Kafka):
 * <ul>
 * <li>sync delay: for each newly applied change (a user's snapshot with a newest event id not seen before), the time
 * from when it was observed at its source to when the applier wrote it ({@code sync.lastAppliedAt -
 * sync.lastObservedAt}), by the second it was applied;</li>
 * <li>regressions: a snapshot in which any register (a field or presence) carries an older version than an earlier
 * snapshot of the same user did.</li>
 * </ul>
 */
public final class SnapshotObserver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A register's version: observed time (ISO-8601, UTC, fixed layout per producer) and event id. */
    private record Version(Instant observedAt, String eventId) implements Comparable<Version> {
        @Override
        public int compareTo(Version other) {
            int byTime = observedAt.compareTo(other.observedAt);
            return byTime != 0 ? byTime : eventId.compareTo(other.eventId);
        }
    }

    /** Second of application (epoch seconds) to the worst delay (ms) of the changes applied in it. */
    private final ConcurrentSkipListMap<Long, Long> worstDelayBySecond = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Long> regressionsBySecond = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, Long> changesBySecond = new ConcurrentSkipListMap<>();
    private final java.util.Set<String> loadEvents = ConcurrentHashMap.newKeySet();
    private final Map<String, String> newestEvent = new HashMap<>();
    private final Map<String, Map<String, Version>> versions = new HashMap<>();
    private final AtomicLong snapshots = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong regressions = new AtomicLong();
    private final Map<String, String> regressionExamples = new ConcurrentHashMap<>();
    private final Thread thread;
    private final String bootstrap;
    private volatile boolean running = true;

    public SnapshotObserver(String bootstrapServers) {
        this.bootstrap = bootstrapServers;
        this.thread = new Thread(this::loop, "snapshot-observer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // partitions added while running must be seen at once, or their changes would count as lost
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            java.util.Set<TopicPartition> assigned = new java.util.HashSet<>();
            long refreshed = 0;
            while (running) {
                if (System.nanoTime() - refreshed > 5_000_000_000L) {
                    // partitions can be added while running: take them on, from their beginning
                    refreshed = System.nanoTime();
                    List<TopicPartition> all = new ArrayList<>();
                    for (String topic : List.of(Topics.PROFILE_SNAPSHOTS, Topics.USER_CHANGES)) {
                        consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(info -> all.add(
                                new TopicPartition(info.topic(), info.partition())));
                    }
                    List<TopicPartition> added = all.stream().filter(p -> !assigned.contains(p)).toList();
                    if (!added.isEmpty()) {
                        assigned.addAll(added);
                        consumer.assign(assigned);
                        consumer.seekToBeginning(added);
                    }
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(Topics.USER_CHANGES)) {
                        changeProduced(record);
                    } else if (record.value() != null) {
                        observe(record.key(), JSON.readTree(record.value()));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    private void changeProduced(ConsumerRecord<String, byte[]> record) {
        changesBySecond.merge(record.timestamp() / 1000, 1L, Long::sum);
        org.apache.kafka.common.header.Header id = record.headers().lastHeader(
                dev.profilesync.events.CloudEventHeaders.ID);
        if (id != null) {
            String eventId = new String(id.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (eventId.startsWith("load-")) {
                loadEvents.add(eventId);
            }
        }
    }

    private void observe(String user, JsonNode snapshot) {
        snapshots.incrementAndGet();
        JsonNode sync = snapshot.path("sync");
        String event = sync.path("lastEventId").asString();
        if (!event.equals(newestEvent.put(user, event))) {
            Instant observedAt = Instant.parse(sync.path("lastObservedAt").asString());
            Instant appliedAt = Instant.parse(sync.path("lastAppliedAt").asString());
            long delay = Math.max(0, Duration.between(observedAt, appliedAt).toMillis());
            worstDelayBySecond.merge(appliedAt.getEpochSecond(), delay, Math::max);
            applied.incrementAndGet();
        }
        Map<String, Version> seen = versions.computeIfAbsent(user, u -> new HashMap<>());
        var registers = snapshot.path("versions").properties();
        for (Map.Entry<String, JsonNode> register : registers) {
            Version version = new Version(Instant.parse(register.getValue().path("observedAt").asString()),
                    register.getValue().path("eventId").asString());
            Version before = seen.get(register.getKey());
            if (before != null && version.compareTo(before) < 0) {
                regressions.incrementAndGet();
                regressionsBySecond.merge(Instant.now().getEpochSecond(), 1L, Long::sum);
                regressionExamples.putIfAbsent(user + "/" + register.getKey(), before + " then " + version);
            } else {
                seen.put(register.getKey(), version);
            }
        }
    }

    /** The worst sync delay (ms) of changes applied in [from, to). */
    public long worstDelayMillis(Instant from, Instant to) {
        return worstDelayBySecond.subMap(from.getEpochSecond(), to.getEpochSecond()).values().stream()
                .mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * The end of the last second in [from, to) in which a change was applied with a delay of {@code limit} or more,
     * or null if there was none.
     */
    public Instant lastDelayAtLeast(Instant from, Instant to, Duration limit) {
        Instant last = null;
        for (Map.Entry<Long, Long> second : worstDelayBySecond.subMap(from.getEpochSecond(), to.getEpochSecond())
                .entrySet()) {
            if (second.getValue() >= limit.toMillis()) {
                last = Instant.ofEpochSecond(second.getKey() + 1);
            }
        }
        return last;
    }

    /** Whether changes were applied in every one of the last {@code seconds} seconds before {@code to}, all fast. */
    public boolean caughtUp(Instant to, int seconds, Duration limit) {
        var window = worstDelayBySecond.subMap(to.getEpochSecond() - seconds, to.getEpochSecond());
        return window.size() >= seconds - 1 && window.values().stream().allMatch(ms -> ms < limit.toMillis());
    }

    public long regressions(Instant from, Instant to) {
        return regressionsBySecond.subMap(from.getEpochSecond(), to.getEpochSecond()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Changes on {@code directory.user-changes} produced in [from, to). */
    public long changesProduced(Instant from, Instant to) {
        return changesBySecond.subMap(from.getEpochSecond(), to.getEpochSecond()).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Every change on {@code directory.user-changes} seen so far. */
    public long changesProduced() {
        return changesBySecond.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether a load change with this event id is on {@code directory.user-changes}. */
    public boolean inKafka(String eventId) {
        return loadEvents.contains(eventId);
    }

    public long regressions() {
        return regressions.get();
    }

    public Map<String, String> regressionExamples() {
        return Map.copyOf(regressionExamples);
    }

    public long snapshots() {
        return snapshots.get();
    }

    /** Newly applied changes seen (a user's newest event id changed). */
    public long applied() {
        return applied.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
