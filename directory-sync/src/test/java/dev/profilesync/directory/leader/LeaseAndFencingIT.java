package dev.profilesync.directory.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.Topics;

/**
 * The two Kafka mechanisms that keep one directory reader per tenant, against a real KRaft broker: the lease goes to
 * exactly one of the instances and moves when the holder leaves; a publisher opened later for the same tenant fences
 * the earlier one, whose records never become visible, while other tenants are untouched.
 */
@EmbeddedKafka(partitions = 1, topics = {Topics.DIRECTORY_SYNC_LEASE, Topics.INGEST_STATE})
class LeaseAndFencingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void exactlyOneInstanceHoldsTheLeaseAndAnotherTakesItWhenItLeaves(EmbeddedKafkaBroker broker) {
        Holder first = new Holder();
        Holder second = new Holder();
        Lease a = new Lease(connection(broker), "contoso", Duration.ofSeconds(6), first);
        Lease b = new Lease(connection(broker), "contoso", Duration.ofSeconds(6), second);
        a.start();
        await().atMost(Duration.ofSeconds(30)).until(a::held);
        b.start();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(a.held()).as("a standby that joins does not take the lease").isTrue();
        assertThat(b.held()).isFalse();

        b.wakeHolder();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.wakes.get() > 0);
        assertThat(second.wakes.get()).isZero();

        a.close();
        await().atMost(Duration.ofSeconds(30)).until(b::held);
        assertThat(first.released.get()).isEqualTo(1);
        assertThat(second.acquired.get()).isEqualTo(1);
        b.close();
    }

    @Test
    void aLaterPublisherOfTheSameTenantFencesTheEarlierOne(EmbeddedKafkaBroker broker) {
        try (FencedPublisher zombie = FencedPublisher.open(connection(broker), "fabrikam", TIMEOUT)) {
            zombie.publish(List.of(record("before")));
            try (FencedPublisher active = FencedPublisher.open(connection(broker), "fabrikam", TIMEOUT);
                    FencedPublisher otherTenant = FencedPublisher.open(connection(broker), "northwind", TIMEOUT)) {
                assertThatThrownBy(() -> zombie.publish(List.of(record("from the zombie"))))
                        .isInstanceOf(LeadershipLostException.class);
                active.publish(List.of(record("after")));
                otherTenant.publish(List.of(record("other tenant")));
            }
        }
        assertThat(committedValues(broker)).containsExactlyInAnyOrder("before", "after", "other tenant");
    }

    private static ProducerRecord<String, byte[]> record(String value) {
        return new ProducerRecord<>(Topics.INGEST_STATE, "test/" + value, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> committedValues(EmbeddedKafkaBroker broker) {
        Map<String, Object> props = connection(broker);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.INGEST_STATE, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Map<String, Object> connection(EmbeddedKafkaBroker broker) {
        return new java.util.HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()));
    }

    /** Counts what the lease told it. */
    private static final class Holder implements Lease.Holder {
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public void acquired() {
            acquired.incrementAndGet();
        }

        @Override
        public void released() {
            released.incrementAndGet();
        }

        @Override
        public void wake() {
            wakes.incrementAndGet();
        }

        @Override
        public void told(String instruction) {
            throw new AssertionError("no instruction expected: " + instruction);
        }
    }
}
