package dev.profilesync.monitor.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.Topics;

/**
 * Dead letters waiting, per dead-letter topic and reason: for {@code directory.user-changes.dlt} those after the
 * replay's committed position (what a replay would re-publish), for the others all that are kept. At most
 * {@value #MAX_SCANNED} records per topic are read for the reasons; the count is exact either way.
 */
final class DeadLetterCensus implements AutoCloseable {

    static final int MAX_SCANNED = 20_000;

    /** One dead-letter topic. */
    record Waiting(String topic, long waiting, Map<String, Long> reasons, long scanned, boolean replayable) {
    }

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;

    DeadLetterCensus(Map<String, Object> consumerProperties, Admin admin) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sync-monitor-dead-letters");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.admin = admin;
    }

    List<Waiting> count() throws Exception {
        List<Waiting> result = new ArrayList<>();
        for (Topics.Declaration declaration : Topics.ALL) {
            if (declaration.deadLetters()) {
                result.add(count(declaration));
            }
        }
        return result;
    }

    private Waiting count(Topics.Declaration declaration) throws Exception {
        String topic = declaration.deadLetterTopic();
        boolean replayable = declaration.name().equals(Topics.USER_CHANGES);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            return new Waiting(topic, 0, Map.of(), 0, replayable);
        }
        // assigned before asking for offsets: answers for partitions not assigned are logged as warnings
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(5));
        Map<TopicPartition, Long> from = new HashMap<>(consumer.beginningOffsets(partitions, Duration.ofSeconds(5)));
        if (replayable) {
            Map<TopicPartition, OffsetAndMetadata> replayed = admin.listConsumerGroupOffsets(
                    ConsumerGroups.PROFILE_APPLIER_DEAD_LETTER_REPLAY).partitionsToOffsetAndMetadata()
                    .get(5, java.util.concurrent.TimeUnit.SECONDS);
            replayed.forEach((partition, offset) -> {
                if (offset != null && from.containsKey(partition)) {
                    from.put(partition, Math.max(from.get(partition), offset.offset()));
                }
            });
        }
        long waiting = partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - from.get(p))).sum();
        Map<String, Long> reasons = new TreeMap<>();
        long scanned = 0;
        if (waiting > 0) {
            long budget = MAX_SCANNED / partitions.size();
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(from.get(partition), end.get(partition) - budget));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        Header reason = record.headers().lastHeader(DeadLetters.REASON_HEADER);
                        reasons.merge(reason == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8),
                                1L, Long::sum);
                        scanned++;
                    }
                }
            }
        }
        return new Waiting(topic, waiting, reasons, scanned, replayable);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
