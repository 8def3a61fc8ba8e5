package dev.profilesync.applier.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * The sync-status backlog against a real broker: a user's changes on the topic that the applier group has not
 * committed past are counted, including one produced just before the question; committing moves them out at once; and
 * questions asked together share one round of offset requests.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.USER_CHANGES)
class UserBacklogIT {

    private EmbeddedKafkaBroker broker;
    private UserBacklog backlog;
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void start(EmbeddedKafkaBroker embedded) {
        broker = embedded;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        backlog = new UserBacklog(new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ByteArrayDeserializer()));
        backlog.start();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        backlog.stop();
    }

    @Test
    void countsTheUsersUnappliedChangesUntilTheGroupCommitsPastThem() throws Exception {
        String user = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        int partition = Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % 3;
        long before = endOf(partition);
        for (int i = 0; i < 3; i++) {
            send(user);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog.of(user).queuedForUser() == 3);
        UserBacklog.Backlog three = backlog.of(user);
        assertThat(three.partition()).isEqualTo(partition);
        assertThat(three.complete()).isTrue();
        assertThat(three.partitionBacklog()).isGreaterThanOrEqualTo(3);

        // produced and acknowledged just before the question: the answer counts it, with no waiting on our side
        send(user);
        assertThat(backlog.of(user).queuedForUser()).isEqualTo(4);
        assertThat(backlog.of(other).queuedForUser()).isZero();

        // the applier group commits past the first two: they are applied, at once
        commit(partition, before + 2);
        UserBacklog.Backlog two = backlog.of(user);
        assertThat(two.queuedForUser()).isEqualTo(2);
        assertThat(two.partitionBacklog()).isEqualTo(endOf(partition) - (before + 2));
        commit(partition, endOf(partition));
        assertThat(backlog.of(user).queuedForUser()).isZero();
        assertThat(backlog.of(user).partitionBacklog()).isZero();
    }

    @Test
    void questionsAskedTogetherShareOneRoundOfOffsetRequests() throws Exception {
        String user = UUID.randomUUID().toString();
        send(user);
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog.of(user).queuedForUser() >= 1);
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<UserBacklog.Backlog>> answers = new ArrayList<>();
            long roundsBefore = backlog.offsetRounds();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return backlog.of(user);
                }));
            }
            go.countDown();
            for (Future<UserBacklog.Backlog> answer : answers) {
                assertThat(answer.get().queuedForUser()).isGreaterThanOrEqualTo(1);
            }
            assertThat(backlog.offsetRounds() - roundsBefore).isBetween(1L, (long) callers - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    private void send(String user) throws Exception {
        producer.send(new ProducerRecord<>(Topics.USER_CHANGES, user, "{}".getBytes(StandardCharsets.UTF_8))).get();
    }

    private long endOf(int partition) {
        try (KafkaConsumer<String, String> consumer = plainConsumer(null)) {
            TopicPartition tp = new TopicPartition(Topics.USER_CHANGES, partition);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    private void commit(int partition, long offset) {
        try (KafkaConsumer<String, String> consumer = plainConsumer(ConsumerGroups.PROFILE_APPLIER)) {
            consumer.commitSync(Map.of(new TopicPartition(Topics.USER_CHANGES, partition),
                    new OffsetAndMetadata(offset)));
        }
    }

    private KafkaConsumer<String, String> plainConsumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }
}
