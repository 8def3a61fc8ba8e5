package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.Topics;

/**
 * Poison sent straight to Kafka with a plain producer, mixed with good changes, on PostgreSQL and on H2: every kind
 * of poison lands in the dead-letter topic exactly once with its reason, every good change is applied within
 * seconds, and no partition stops. {@link PoisonRecords} lists the kinds.
 */
@EmbeddedKafka(partitions = 3, topics = {Topics.USER_CHANGES, Topics.USER_CHANGES + ".dlt"})
class PoisonSuiteIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int OTHERS = 300;
    private static final String POISON_HEADER = "poison-kind";

    @Test
    void onPostgresqlEveryPoisonIsDeadLetteredOnceAndEveryGoodChangeIsApplied(EmbeddedKafkaBroker broker)
            throws Exception {
        try (TestSchema schema = TestSchema.create()) {
            run(broker, schema.url(), "postgres", true);
        }
    }

    @Test
    void onH2EveryPoisonIsDeadLetteredOnceAndEveryGoodChangeIsApplied(EmbeddedKafkaBroker broker) throws Exception {
        run(broker, "jdbc:h2:mem:poison-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", false);
    }

    private void run(EmbeddedKafkaBroker broker, String url, String user, boolean postgres) throws Exception {
        List<PoisonRecords.Kind> kinds = new ArrayList<>(PoisonRecords.kinds());
        if (postgres) {
            kinds.add(PoisonRecords.unclassifiedStoreFailure());
        }
        try (ConfigurableApplicationContext applier = ProfileApplierApplication.application().run(
                "--server.port=0", "--management.server.port=0", "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + user,
                "--profile-sync.applier.topics.partitions=3", "--profile-sync.applier.unclassified-tries=3",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:jwt/test-public.pem")) {
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, user, ""));
            PoisonRecords.refuseInTheStore(jdbc, postgres);

            Map<String, String> expected = new LinkedHashMap<>();
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (PoisonRecords.Kind kind : kinds) {
                String victim = UUID.randomUUID().toString();
                ProducerRecord<String, byte[]> poison = kind.record(victim);
                poison.headers().add(POISON_HEADER, (run + ":" + kind.name()).getBytes(StandardCharsets.UTF_8));
                records.add(poison);
                records.add(PoisonRecords.good(victim, "good-" + kind.name()));
                expected.put(victim, "good-" + kind.name());
            }
            for (int i = 0; i < OTHERS; i++) {
                String other = UUID.randomUUID().toString();
                records.add((i * 7) % (records.size() + 1), PoisonRecords.good(other, "other-" + i));
                expected.put(other, "other-" + i);
            }
            long sent = System.nanoTime();
            send(broker, records);

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> applied(jdbc, expected) == expected.size());
            double drained = (System.nanoTime() - sent) / 1e9;
            Map<String, List<String>> deadLetters = await().atMost(PATIENCE)
                    .until(() -> deadLetters(broker, run), found -> found.size() == kinds.size());

            for (PoisonRecords.Kind kind : kinds) {
                assertThat(deadLetters.get(kind.name())).as(kind.name() + " dead-lettered once, with its reason")
                        .containsExactly(kind.reason());
            }
            assertThat(PoisonRecords.refusedValueStored(jdbc)).as("a refused value in the store").isFalse();
            System.out.printf("poison suite on %s: %d kinds of poison sent, %d dead-lettered (each once), %d good "
                    + "changes applied, 0 lost, all drained %.1f s after sending%n", postgres ? "PostgreSQL" : "H2",
                    kinds.size(), deadLetters.size(), expected.size(), drained);
        }
    }

    private static int applied(JdbcTemplate jdbc, Map<String, String> expected) {
        Map<String, String> titles = new HashMap<>();
        jdbc.query("SELECT user_id, job_title FROM profile", rs -> {
            titles.put(rs.getString(1), rs.getString(2));
        });
        return (int) expected.entrySet().stream().filter(e -> e.getValue().equals(titles.get(e.getKey()))).count();
    }

    private static void send(EmbeddedKafkaBroker broker, List<ProducerRecord<String, byte[]>> records)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Dead letters of this run: poison kind to the reasons of its copies in the dead-letter topic. */
    private static Map<String, List<String>> deadLetters(EmbeddedKafkaBroker broker, String run) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        Map<String, List<String>> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetterOf(Topics.USER_CHANGES))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header kind = record.headers().lastHeader(POISON_HEADER);
                    Header reason = record.headers().lastHeader(DeadLetters.REASON_HEADER);
                    String[] runAndKind = kind == null ? new String[] {"", ""}
                            : new String(kind.value(), StandardCharsets.UTF_8).split(":", 2);
                    if (runAndKind[0].equals(run)) {
                        found.computeIfAbsent(runAndKind[1], k -> new ArrayList<>())
                                .add(reason == null ? "(none)" : new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return found;
    }
}
