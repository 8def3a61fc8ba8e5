package dev.profilesync.applier.read;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * Finds the changes of one user that are on {@code directory.user-changes} but not yet applied: it computes the
 * user's partition the way the default partitioner does, and scans that partition from the applier group's committed
 * offset to its end, up to a bound. It reads only; it never joins the group nor commits.
 */
@Component
class UserBacklog {

    /** Most records scanned for one request. */
    static final int SCAN_LIMIT = 20_000;
    private static final Duration SCAN_TIME = Duration.ofSeconds(2);

    private final ConsumerFactory<String, byte[]> consumers;

    UserBacklog(ConsumerFactory<String, byte[]> consumers) {
        this.consumers = consumers;
    }

    /**
     * @param partition the user's partition
     * @param partitionBacklog records on that partition not yet applied by the group
     * @param queuedForUser of those, the ones for this user (a lower bound when {@code complete} is false)
     * @param complete whether the whole backlog was scanned
     */
    record Backlog(int partition, long partitionBacklog, int queuedForUser, boolean complete) {
    }

    Backlog of(String userId) {
        Map<String, Object> overrides = Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(ConsumerGroups.PROFILE_APPLIER, "sync-status", null,
                propertiesOf(overrides))) {
            int partitions = consumer.partitionsFor(Topics.USER_CHANGES).size();
            byte[] key = userId.getBytes(StandardCharsets.UTF_8);
            TopicPartition partition = new TopicPartition(Topics.USER_CHANGES,
                    Utils.toPositive(Utils.murmur2(key)) % partitions);
            long end = consumer.endOffsets(Set.of(partition)).get(partition);
            OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
            long start = committed == null ? consumer.beginningOffsets(Set.of(partition)).get(partition)
                    : committed.offset();
            return scan(consumer, partition, start, end, userId);
        }
    }

    private static Backlog scan(Consumer<String, byte[]> consumer, TopicPartition partition, long start, long end,
            String userId) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, start);
        long scanned = 0;
        int queued = 0;
        long deadline = System.nanoTime() + SCAN_TIME.toNanos();
        while (consumer.position(partition) < end && scanned < SCAN_LIMIT && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= end) {
                    break;
                }
                scanned++;
                if (userId.equalsIgnoreCase(record.key())) {
                    queued++;
                }
            }
        }
        boolean complete = consumer.position(partition) >= end;
        return new Backlog(partition.partition(), Math.max(0, end - start), queued, complete);
    }

    private static java.util.Properties propertiesOf(Map<String, Object> overrides) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(overrides);
        return properties;
    }
}
