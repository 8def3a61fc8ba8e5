package dev.profilesync.ingest.graph;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.profilesync.events.Topics;

/**
 * What change-ingest must remember across restarts, kept in the compacted topic {@code directory.ingest-state}: the
 * Graph delta link of the last complete round, and every directory user it knows with the photo media etag last seen
 * ("" for none). Changes to it are records that the caller publishes in the same transaction as the events they
 * describe, so the state never runs ahead of what Kafka has.
 */
final class IngestState {

    static final String USER_PREFIX = "user/";

    private String deltaLink;
    private final Map<String, String> etags = new HashMap<>();

    /** Reads the whole state topic; call once before the first round. */
    static IngestState load(Map<String, Object> consumerProperties) {
        IngestState state = new IngestState();
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST_STATE, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    state.apply(record.key(), record.value());
                }
            }
        }
        return state;
    }

    private void apply(String key, byte[] value) {
        if (Topics.DELTA_LINK_KEY.equals(key)) {
            deltaLink = value == null ? null : new String(value, StandardCharsets.UTF_8);
        } else if (key != null && key.startsWith(USER_PREFIX)) {
            String id = key.substring(USER_PREFIX.length());
            if (value == null) {
                etags.remove(id);
            } else {
                etags.put(id, new String(value, StandardCharsets.UTF_8));
            }
        }
    }

    String deltaLink() {
        return deltaLink;
    }

    boolean knows(String userId) {
        return etags.containsKey(userId);
    }

    /** The photo media etag last seen, "" for none or not yet looked at. */
    String etag(String userId) {
        return etags.getOrDefault(userId, "");
    }

    Set<String> users() {
        return Set.copyOf(etags.keySet());
    }

    ProducerRecord<String, byte[]> saveDeltaLink(String link) {
        return record(Topics.DELTA_LINK_KEY, link);
    }

    ProducerRecord<String, byte[]> rememberUser(String userId, String etag) {
        return record(USER_PREFIX + userId, etag == null ? "" : etag);
    }

    ProducerRecord<String, byte[]> forgetUser(String userId) {
        return record(USER_PREFIX + userId, null);
    }

    /** Applies records to this in-memory view once they are acknowledged. */
    void committed(List<ProducerRecord<String, byte[]>> records) {
        for (ProducerRecord<String, byte[]> record : records) {
            if (Topics.INGEST_STATE.equals(record.topic())) {
                apply(record.key(), record.value());
            }
        }
    }

    private static ProducerRecord<String, byte[]> record(String key, String value) {
        return new ProducerRecord<>(Topics.INGEST_STATE, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
