package dev.profilesync.applier.deadletter;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.Topics;

/**
 * The operator's way back from the dead-letter topic, once the cause is fixed: {@code POST /actuator/deadletters}
 * re-publishes every dead letter not replayed before to the topic it came from, with its original key, value and
 * headers, and remembers how far it got (consumer group {@link ConsumerGroups#PROFILE_APPLIER_DEAD_LETTER_REPLAY}). {@code GET} says how many are waiting.
 * A record that still cannot be applied is dead-lettered again.
 */
@Component
@Endpoint(id = "deadletters")
class DeadLetterReplay {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final String DEAD_LETTER_TOPIC = Topics.deadLetterOf(Topics.USER_CHANGES);

    private final ConsumerFactory<String, byte[]> consumers;
    private final KafkaTemplate<String, byte[]> producer;

    DeadLetterReplay(ConsumerFactory<String, byte[]> consumers, KafkaTemplate<String, byte[]> producer) {
        this.consumers = consumers;
        this.producer = producer;
    }

    @ReadOperation
    Map<String, Object> waiting() {
        try (Consumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(new java.util.HashSet<>(partitions));
            long waiting = 0;
            for (TopicPartition partition : partitions) {
                long from = done.get(partition) == null ? consumer.beginningOffsets(List.of(partition)).get(partition)
                        : done.get(partition).offset();
                waiting += Math.max(0, end.get(partition) - from);
            }
            return Map.of("topic", DEAD_LETTER_TOPIC, "waiting", waiting);
        }
    }

    @WriteOperation
    Map<String, Object> replay() throws InterruptedException, ExecutionException, TimeoutException {
        int replayed = 0;
        try (Consumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(new java.util.HashSet<>(partitions));
            for (TopicPartition partition : partitions) {
                if (done.get(partition) == null) {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                Map<TopicPartition, OffsetAndMetadata> progress = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    producer.send(original(record)).get(30, TimeUnit.SECONDS);
                    progress.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    replayed++;
                }
                consumer.commitSync(progress);
            }
        }
        log.info("Replayed {} dead letters from {}", replayed, DEAD_LETTER_TOPIC);
        return Map.of("topic", DEAD_LETTER_TOPIC, "replayed", replayed);
    }

    /**
     * The record as it was first published, to the topic its dead-letter topic belongs to. The
     * {@code kafka_dlt-original-topic} header is not followed: whoever can write the dead-letter topic controls it,
     * and replay must never become a way to write any other topic.
     */
    private static ProducerRecord<String, byte[]> original(ConsumerRecord<String, byte[]> record) {
        String topic = Topics.ofDeadLetterTopic(record.topic()).map(Topics.Declaration::name)
                .orElseThrow(() -> new IllegalStateException(record.topic() + " is no dead-letter topic"));
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().equals(DeadLetters.REASON_HEADER)
                    && !header.key().equals(DeadLetters.SQL_STATE_HEADER)) {
                headers.add(header);
            }
        }
        return new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
    }

    private Consumer<String, byte[]> consumer() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return consumers.createConsumer(ConsumerGroups.PROFILE_APPLIER_DEAD_LETTER_REPLAY, "dlt-replay", null, overrides);
    }

    private static List<TopicPartition> partitions(Consumer<String, byte[]> consumer) {
        return consumer.partitionsFor(DEAD_LETTER_TOPIC).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }
}
