package dev.profilesync.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consumer group has yet to read on some partitions, from three admin requests: its committed offsets (group
 * coordinator) and the partitions' first and last stable offsets (read_committed, partition leaders). A partition
 * the group never committed, or whose records up to its commit were removed by retention, counts from its start.
 * Read by sync-monitor's lag gauges and by photo-sync, whose bulk lane gives way to the applier's backlog.
 */
public final class GroupBacklog {

    /** Offsets {@code from} (the group's next record) to {@code end} (the last stable offset) of one partition. */
    public record Pending(long from, long end) {

        /** Records (transaction markers included) between the two; 0 when caught up. */
        public long records() {
            return Math.max(0, end - from);
        }
    }

    private GroupBacklog() {
    }

    /** The backlog of {@code group} on each of {@code partitions}. */
    public static Map<TopicPartition, Pending> read(Admin admin, String group, List<TopicPartition> partitions,
            long timeoutSeconds) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeoutSeconds, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        partitions.forEach(partition -> {
            latest.put(partition, OffsetSpec.latest());
            earliest.put(partition, OffsetSpec.earliest());
        });
        ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var ends = admin.listOffsets(latest, readCommitted).all().get(timeoutSeconds, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest, readCommitted).all().get(timeoutSeconds, TimeUnit.SECONDS);
        Map<TopicPartition, Pending> pending = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            long from = Math.max(done == null ? 0 : done.offset(), starts.get(partition).offset());
            pending.put(partition, new Pending(from, ends.get(partition).offset()));
        }
        return pending;
    }
}
