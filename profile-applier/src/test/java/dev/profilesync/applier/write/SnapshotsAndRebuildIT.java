package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.applier.read.ProfileJson;
import dev.profilesync.applier.read.ProfileQueries;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.applier.snapshot.Rebuild;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEventCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Profiles out, crash-safe: the applier (a JVM of its own) is halted right after a poll's store commit and before that
 * poll's snapshot transaction, as {@code kill -9} at the worst moment would; started again, it must leave
 * {@code profile.snapshots} with every user's latest snapshot equal to the store (tombstones for deleted users), each
 * valid against the published JSON Schema. Then a new, empty H2 store rebuilt from the topic must have the same
 * checksum as the PostgreSQL store it came from.
 */
@EmbeddedKafka(partitions = 3, topics = {Topics.USER_CHANGES, Topics.USER_CHANGES + ".dlt"})
class SnapshotsAndRebuildIT {

    private static final int USERS = 400;
    private static final int CHANGES = 6_000;
    private static final int DELETED = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aCrashBetweenStoreCommitAndSnapshotsLosesNoSnapshotAndARebuildMatchesTheStore(EmbeddedKafkaBroker broker)
            throws Exception {
        try (TestSchema schema = TestSchema.create()) {
            DriverManagerDataSource store = new DriverManagerDataSource(schema.url(), "postgres", "");
            ProfileQueries queries = new ProfileQueries(store);
            List<String> users = java.util.stream.IntStream.range(0, USERS)
                    .mapToObj(i -> UUID.randomUUID().toString()).toList();
            send(broker, users);
            Path logs = Files.createTempDirectory("snapshots");

            Process halted = start(broker, schema, logs.resolve("halted.log"), "halt-before-snapshots:3");
            assertThat(halted.waitFor(120, TimeUnit.SECONDS)).as("the failpoint halts the applier").isTrue();
            assertThat(halted.exitValue()).isEqualTo(86);
            assertThat(queries.findAll(users)).as("polls were committed to the store before the halt").isNotEmpty();
            Map<String, JsonNode> beforeRestart = latestSnapshots(broker);
            List<StoredProfile> storedAtHalt = queries.findAll(users);
            assertThat(storedAtHalt).as("the halted poll is in the store but its snapshots are not")
                    .anyMatch(profile -> !matches(beforeRestart.get(profile.userId()), profile));

            Process restarted = start(broker, schema, logs.resolve("restarted.log"), "");
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        queries.findAll(users).size() == USERS && everySnapshotMatches(broker, queries, users));
            } finally {
                restarted.destroy();
                restarted.waitFor(30, TimeUnit.SECONDS);
            }

            Schema snapshotSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of("https://profile-sync.dev/schemas/profile-snapshot.v1.json",
                            resource("profile-snapshot.v1.schema.json"))))
                    .getSchema(SchemaLocation.of("https://profile-sync.dev/schemas/profile-snapshot.v1.json"));
            for (JsonNode snapshot : latestSnapshots(broker).values()) {
                if (snapshot != null) {
                    assertThat(snapshotSchema.validate(snapshot)).as(snapshot.toString()).isEmpty();
                }
            }

            Path h2 = Files.createTempDirectory("rebuilt").resolve("profiles");
            Properties kafka = new Properties();
            kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Rebuild.Result rebuilt = Rebuild.run(kafka, new DriverManagerDataSource("jdbc:h2:file:" + h2, "sa", ""),
                    store, new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertThat(rebuilt.profiles()).isEqualTo(USERS - DELETED);
            assertThat(rebuilt.source().profiles()).isEqualTo(USERS - DELETED);
            assertThat(rebuilt.checksum()).as("the rebuilt H2 store holds what the PostgreSQL store holds")
                    .isEqualTo(rebuilt.source().sha256());
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("100%");
            System.out.printf("snapshots after a halt between store commit and snapshot transaction: %d users, "
                    + "%d deleted, every snapshot equal to the store; rebuilt into H2: %d profiles, checksum %s%n",
                    USERS, DELETED, rebuilt.profiles(), rebuilt.checksum());
        }
    }

    private static boolean everySnapshotMatches(EmbeddedKafkaBroker broker, ProfileQueries queries,
            List<String> users) {
        Map<String, JsonNode> snapshots = latestSnapshots(broker);
        for (StoredProfile profile : queries.findAll(users)) {
            if (!snapshots.containsKey(profile.userId()) || !matches(snapshots.get(profile.userId()), profile)) {
                return false;
            }
        }
        return true;
    }

    /** A present user: a snapshot with the stored fields, versions and newest change; a deleted one: a tombstone. */
    private static boolean matches(JsonNode snapshot, StoredProfile profile) {
        if (!profile.present()) {
            return snapshot == null;
        }
        if (snapshot == null) {
            return false;
        }
        Map<String, Object> expected = new LinkedHashMap<>(ProfileJson.of(profile));
        Map<String, Object> versions = new LinkedHashMap<>();
        profile.versions().forEach((register, version) -> versions.put(register,
                Map.of("observedAt", version.observedAt().toString(), "eventId", version.eventId())));
        expected.put("versions", versions);
        JsonNode wanted = JSON.readTree(JSON.writeValueAsBytes(expected));
        ((tools.jackson.databind.node.ObjectNode) wanted.get("sync")).remove("lastAppliedAt");
        JsonNode actual = snapshot.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) actual.get("sync")).remove("lastAppliedAt");
        return wanted.equals(actual);
    }

    /** The newest record of every key on profile.snapshots (null for a tombstone), committed records only. */
    private static Map<String, JsonNode> latestSnapshots(EmbeddedKafkaBroker broker) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, JsonNode> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.PROFILE_SNAPSHOTS, Duration.ofSeconds(10))
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value() == null ? null : JSON.readTree(record.value()));
                }
            }
        }
        return latest;
    }

    private static Process start(EmbeddedKafkaBroker broker, TestSchema schema, Path log, String failpoint)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
        if (!failpoint.isEmpty()) {
            command.add("-Dprofile-sync.failpoint=" + failpoint);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                ProfileApplierApplication.class.getName(), "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.kafka.consumer.max-poll-records=250",
                "--spring.datasource.url=" + schema.url(), "--spring.datasource.username=postgres",
                "--profile-sync.applier.topics.partitions=3",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:jwt/test-public.pem"));
        File output = log.toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    }

    /** Several changes per user (titles, departments, skills), then deletions of the first users. */
    private static void send(EmbeddedKafkaBroker broker, List<String> users) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        UserEventCodec codec = new UserEventCodec();
        Instant base = Instant.now().minus(Duration.ofHours(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int k = 0; k < CHANGES; k++) {
                Map<ProfileField, Object> fields = new HashMap<>();
                fields.put(ProfileField.JOB_TITLE, "title " + k);
                if (k % 3 == 0) {
                    fields.put(ProfileField.DEPARTMENT, "department " + (k % 7));
                }
                if (k % 5 == 0) {
                    fields.put(ProfileField.BUSINESS_PHONES, List.of("+1 555 " + k));
                }
                if (k % 11 == 0) {
                    fields.put(ProfileField.ACCOUNT_ENABLED, k % 2 == 0);
                }
                producer.send(codec.toRecord(new UserChanged("snap-" + k, users.get(k % USERS), "graph",
                        base.plusMillis(k), fields)));
            }
            for (int u = 0; u < DELETED; u++) {
                producer.send(codec.toRecord(new UserDeleted("snap-delete-" + u, users.get(u), "graph",
                        base.plusSeconds(600))));
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = UserEventCodec.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
