package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;

/**
 * The applier as a separate JVM process, killed with SIGKILL in the middle of a stream and started again: nothing is
 * lost and nothing regresses. Every user ends at the newest of its changes, whatever the dead process had applied or
 * committed when it died.
 */
@EmbeddedKafka(partitions = 3, topics = {Topics.USER_CHANGES, Topics.USER_CHANGES + ".dlt"})
class ApplierCrashIT {

    private static final int USERS = 1_000;
    private static final int CHANGES = 30_000;

    @Test
    void aKilledApplierLosesNothingAndRegressesNothing(EmbeddedKafkaBroker broker) throws Exception {
        try (TestSchema schema = TestSchema.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(schema.url(), "postgres", ""));
            List<String> users = java.util.stream.IntStream.range(0, USERS)
                    .mapToObj(i -> UUID.randomUUID().toString()).toList();
            Instant base = Instant.now().minus(Duration.ofHours(1));
            Path logs = Files.createTempDirectory("applier-crash");

            Process first = start(broker, schema, logs.resolve("first.log"));
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> send(broker, users, base));
            await().atMost(Duration.ofSeconds(60)).until(() -> stored(jdbc) > 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> appliedVersions(jdbc) > CHANGES / 10);
            first.destroyForcibly().waitFor();
            long appliedAtKill = appliedVersions(jdbc);
            stream.join();

            long restarted = System.nanoTime();
            Process second = start(broker, schema, logs.resolve("second.log"));
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> newest(jdbc, users) == USERS);
            } finally {
                second.destroyForcibly().waitFor();
            }
            double drained = (System.nanoTime() - restarted) / 1e9;
            assertThat(regressed(jdbc, users)).as("users behind their newest change").isZero();
            System.out.printf("applier kill -9: killed after %d changes were in the store; restarted; %d of %d "
                    + "users at their newest change, 0 lost, 0 regressed, drained %.1f s after the restart%n",
                    appliedAtKill, USERS, USERS, drained);
        }
    }

    /** The applier's own main class, from this test's class path, in a JVM of its own. */
    private static Process start(EmbeddedKafkaBroker broker, TestSchema schema, Path log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                ProfileApplierApplication.class.getName(), "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.datasource.url=" + schema.url(), "--spring.datasource.username=postgres",
                "--profile-sync.applier.topics.partitions=3",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:jwt/test-public.pem");
        File output = log.toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    }

    /** Change k of the stream gives user k % USERS the title "v<k>", observed k ms after {@code base}. */
    private static void send(EmbeddedKafkaBroker broker, List<String> users, Instant base) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        UserEventCodec codec = new UserEventCodec();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int k = 0; k < CHANGES; k++) {
                producer.send(codec.toRecord(new UserChanged("crash-" + k, users.get(k % USERS), "graph",
                        base.plusMillis(k), Map.of(ProfileField.JOB_TITLE, "v" + k))));
                if (k % 1_000 == 999) {
                    producer.flush();
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int stored(JdbcTemplate jdbc) {
        try {
            Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM profile", Integer.class);
            return count == null ? 0 : count;
        } catch (RuntimeException notMigratedYet) {
            return 0;
        }
    }

    /** The sum over users of how many changes the stored title stands for (a rough progress measure). */
    private static long appliedVersions(JdbcTemplate jdbc) {
        Long sum = jdbc.queryForObject("SELECT COALESCE(SUM(CAST(SUBSTRING(job_title FROM 2) AS BIGINT) / "
                + USERS + " + 1), 0) FROM profile", Long.class);
        return sum == null ? 0 : sum;
    }

    private static Map<String, Integer> titles(JdbcTemplate jdbc) {
        Map<String, Integer> titles = new HashMap<>();
        jdbc.query("SELECT user_id, job_title FROM profile", rs -> {
            titles.put(rs.getString(1), Integer.parseInt(rs.getString(2).substring(1)));
        });
        return titles;
    }

    private static int newest(JdbcTemplate jdbc, List<String> users) {
        Map<String, Integer> titles = titles(jdbc);
        int atNewest = 0;
        for (int u = 0; u < USERS; u++) {
            Integer title = titles.get(users.get(u));
            if (title != null && title == newestOf(u)) {
                atNewest++;
            }
        }
        return atNewest;
    }

    private static int regressed(JdbcTemplate jdbc, List<String> users) {
        Map<String, Integer> titles = titles(jdbc);
        int behind = 0;
        for (int u = 0; u < USERS; u++) {
            Integer title = titles.get(users.get(u));
            if (title == null || title < newestOf(u)) {
                behind++;
            }
        }
        return behind;
    }

    private static int newestOf(int user) {
        return (CHANGES - 1) - ((CHANGES - 1 - user) % USERS);
    }
}
