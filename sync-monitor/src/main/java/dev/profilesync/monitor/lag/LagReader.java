package dev.profilesync.monitor.lag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.profilesync.events.GroupBacklog;

/**
 * Reads one group's lag on one topic: its backlog in records ({@link GroupBacklog}), and the timestamp of the record
 * at each committed offset by fetching that one record. Timestamps are cached per offset, since a record never
 * changes; an idle partition costs one offset lookup.
 */
final class LagReader {

    /** Lag of one partition: the record time at the committed offset, or {@link PartitionLag#CAUGHT_UP}. */
    record Reading(long oldestPendingTimestamp, long pendingRecords) {
    }

    private static final long TIMEOUT_SECONDS = 10;
    /** Nothing but transaction markers after the committed offset: the group is caught up. */
    private static final long ONLY_MARKERS = Long.MIN_VALUE;

    private final Admin admin;
    private final Consumer<byte[], byte[]> fetcher;
    private final Map<TopicPartition, long[]> timestampCache = new HashMap<>();

    LagReader(Admin admin, Consumer<byte[], byte[]> fetcher) {
        this.admin = admin;
        this.fetcher = fetcher;
    }

    Map<TopicPartition, Reading> read(String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> partitions = fetcher.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        Map<TopicPartition, Long> pendingFrom = new HashMap<>();
        Map<TopicPartition, Reading> readings = new HashMap<>();
        GroupBacklog.read(admin, group, partitions, TIMEOUT_SECONDS).forEach((partition, pending) -> {
            if (pending.records() == 0) {
                readings.put(partition, new Reading(PartitionLag.CAUGHT_UP, 0));
            } else {
                pendingFrom.put(partition, pending.from());
                readings.put(partition, new Reading(PartitionLag.CAUGHT_UP, pending.records()));
            }
        });
        Map<TopicPartition, Long> oldest = timestamps(pendingFrom);
        for (TopicPartition partition : pendingFrom.keySet()) {
            Long timestamp = oldest.get(partition);
            if (timestamp == null) {
                continue; // not fetched in time: records known, age not
            }
            readings.put(partition, timestamp == ONLY_MARKERS ? new Reading(PartitionLag.CAUGHT_UP, 0)
                    : new Reading(timestamp, readings.get(partition).pendingRecords()));
        }
        return readings;
    }

    /**
     * The timestamp of the first record at or after each offset, {@link #ONLY_MARKERS} when only transaction markers
     * remain, absent when it could not be fetched in time.
     */
    private Map<TopicPartition, Long> timestamps(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> found = new HashMap<>();
        List<TopicPartition> toFetch = new ArrayList<>();
        offsets.forEach((partition, offset) -> {
            long[] cached = timestampCache.get(partition);
            if (cached != null && cached[0] == offset) {
                found.put(partition, cached[1]);
            } else {
                toFetch.add(partition);
            }
        });
        if (toFetch.isEmpty()) {
            return found;
        }
        fetcher.assign(toFetch);
        toFetch.forEach(partition -> fetcher.seek(partition, offsets.get(partition)));
        long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_SECONDS).toNanos();
        List<TopicPartition> missing = new ArrayList<>(toFetch);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : fetcher.poll(Duration.ofMillis(100))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (missing.remove(partition)) {
                    found.put(partition, record.timestamp());
                    timestampCache.put(partition, new long[] {offsets.get(partition), record.timestamp()});
                    fetcher.pause(List.of(partition));
                }
            }
            for (TopicPartition partition : List.copyOf(missing)) {
                if (onlyMarkersLeft(partition)) {
                    missing.remove(partition);
                    found.put(partition, ONLY_MARKERS);
                }
            }
        }
        fetcher.unsubscribe();
        return found;
    }

    private boolean onlyMarkersLeft(TopicPartition partition) {
        Long end = fetcher.endOffsets(List.of(partition)).get(partition);
        return end != null && fetcher.position(partition) >= end;
    }
}
