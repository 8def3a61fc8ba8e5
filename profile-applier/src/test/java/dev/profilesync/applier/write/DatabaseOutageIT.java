package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.applier.write.TestSchema;
import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;

/**
 * The database goes away in the middle of a stream: the applier retries, pauses, dead-letters nothing, and applies
 * everything once the database is back.
 */
@SpringBootTest(classes = ProfileApplierApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=profile-applier", "spring.datasource.hikari.connection-timeout=1000",
            "spring.datasource.hikari.validation-timeout=500", "profile-sync.applier.topics.partitions=2",
            "spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:jwt/test-public.pem"})
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class DatabaseOutageIT {

    private static TestSchema schema;
    private static TcpProxy proxy;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @LocalManagementPort
    int port;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @BeforeAll
    static void setUp() throws Exception {
        schema = TestSchema.create();
        proxy = new TcpProxy("127.0.0.1", 5432);
    }

    @AfterAll
    static void tearDown() throws Exception {
        proxy.close();
        schema.close();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test"
                + "?currentSchema=" + schema.name() + "&reWriteBatchedInserts=true&connectTimeout=2&socketTimeout=10");
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @Test
    void changesMadeWhileTheDatabaseIsDownAreAppliedWhenItReturnsAndNoneIsDeadLettered() throws Exception {
        List<String> users = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        send(users, 0, 30);
        await().atMost(Duration.ofSeconds(30)).until(() -> title(users.get(2)) != null);

        proxy.cut();
        send(users, 30, 60);
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/actuator/health/readiness") == 503);
        assertThat(status("/actuator/health/liveness")).as("alive, only not ready").isEqualTo(200);
        // while the database is away nothing moves: the stored titles stay where they were
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> proxy.port() > 0 && committedBehindEnd());
        proxy.restore();
        long restored = System.nanoTime();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(title(users.get(0))).isEqualTo("title-57");
            assertThat(title(users.get(1))).isEqualTo("title-58");
            assertThat(title(users.get(2))).isEqualTo("title-59");
        });
        assertThat(deadLetterCount()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/actuator/health/readiness") == 200);

        // a listener that stopped on its own (as Spring Kafka does on an Error) leaves the process up but dead inside
        listeners.getListenerContainers().forEach(container -> container.stop());
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/actuator/health/liveness") == 503);
        listeners.getListenerContainers().forEach(container -> container.start());
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/actuator/health/liveness") == 200);
        System.out.printf("database connection cut: 30 changes sent while cut, 0 lost, 0 dead-lettered, drained "
                + "%.1f s after the connection came back%n", (System.nanoTime() - restored) / 1e9);
    }

    private int status(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Read straight from the database, not through the proxy the applier uses. */
    private String title(String user) {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(schema.url(), "postgres", ""));
        return jdbc.query("SELECT job_title FROM profile WHERE user_id = ?", (rs, n) -> rs.getString(1), user)
                .stream().findFirst().orElse(null);
    }

    private void send(List<String> users, int from, int to) {
        UserEventCodec codec = new UserEventCodec();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int seq = from; seq < to; seq++) {
                producer.send(codec.toRecord(new UserChanged(UUID.randomUUID().toString(), users.get(seq % 3),
                        "graph", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq),
                        Map.of(ProfileField.JOB_TITLE, "title-" + seq))));
            }
        }
    }

    /** True while the applier's committed offsets are behind the end of the topic. */
    private boolean committedBehindEnd() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
                KafkaConsumer<String, byte[]> consumer = consumer("offset-check-" + UUID.randomUUID())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ConsumerGroups.PROFILE_APPLIER)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(new TopicPartition(Topics.USER_CHANGES, 0),
                    new TopicPartition(Topics.USER_CHANGES, 1)));
            return end.entrySet().stream().anyMatch(e -> committed.get(e.getKey()) == null
                    || committed.get(e.getKey()).offset() < e.getValue());
        }
    }

    private long deadLetterCount() {
        try (KafkaConsumer<String, byte[]> consumer = consumer("dlt-check-" + UUID.randomUUID())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetterOf(Topics.USER_CHANGES)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
