package dev.profilesync.applier.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The container runs several consumers in one instance and they share the snapshot publisher. When a partition moves
 * from one of them to another, the one that lost it (still finishing a poll, or learning of the loss late) must
 * neither use the producer the new owner made nor close it: CI once saw two consumers fight over a partition's
 * producer until the store stalled. A real broker; the consumers only stand for the container's threads.
 */
@EmbeddedKafka(partitions = 2, topics = Topics.USER_CHANGES)
class SnapshotProducerOwnershipIT {

    private static final String GROUP = "snapshot-ownership-test";

    @Test
    void aConsumerThatLostAPartitionNeitherUsesNorClosesTheNewOwnersProducer(EmbeddedKafkaBroker broker) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.getBrokersAsString()));
        SnapshotPublisher publisher = new SnapshotPublisher(new DriverManagerDataSource(
                "jdbc:h2:mem:snapshot-ownership;DB_CLOSE_DELAY=-1", "sa", ""), kafka, new SimpleMeterRegistry());
        TopicPartition partition = new TopicPartition(Topics.USER_CHANGES, 1);
        List<ConsumerRecord<String, byte[]>> poll = List.of(new ConsumerRecord<>(Topics.USER_CHANGES, 1, 41L,
                "00000000-0000-4000-8000-000000000001", new byte[0]));
        try (KafkaConsumer<String, byte[]> first = consumer(broker); KafkaConsumer<String, byte[]> second =
                consumer(broker)) {
            publisher.onPartitionsAssigned(first, Set.of(partition));
            // the partition moves to the second consumer; the first learns of it only afterwards
            publisher.onPartitionsAssigned(second, Set.of(partition));
            publisher.onPartitionsLost(first, Set.of(partition));

            assertThatThrownBy(() -> publisher.begin(poll, first).committed(true))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("new owner");
            // the new owner's producer is still open and in no one else's transaction
            publisher.begin(poll, second).committed(true);

            assertThat(second.committed(Set.of(partition)).get(partition).offset()).isEqualTo(42L);
        } finally {
            publisher.destroy();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafkaBroker broker) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
