package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.profilesync.directory.DirectorySyncApplication;
import dev.profilesync.events.DirectoryStateKeys;
import dev.profilesync.events.Topics;
import dev.profilesync.graph.GraphClients;

/**
 * Exactly one active directory-sync per tenant, and fail-over when it dies: two directory-sync instances run as
 * separate JVM processes against the simulated tenant, a real broker, the applier and PostgreSQL. Only one of them
 * reads Graph. While the tenant keeps changing, the active one is first frozen (SIGSTOP, a zombie) and later resumed,
 * then the new active one is killed with SIGKILL (no clean-up at all). Each time the other takes over within 30 s,
 * continuing from the saved position; the store ends equal to the tenant's truth, and no delta page was published by
 * both instances.
 */
class DirectorySyncFailoverIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration TAKE_OVER_LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    static PostgresSchema schema;
    static LocalSystem system;
    static ProfileSyncClient client;
    static final List<Process> instances = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        schema = PostgresSchema.create();
        system = LocalSystem.start(FreePorts.settings(dataDir, schema.url()).withSimulator(3_000, 0), false);
        client = new ProfileSyncClient(system.settings());
    }

    @AfterAll
    static void stop() throws Exception {
        instances.forEach(Process::destroyForcibly);
        if (system != null) {
            system.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void onlyOneInstanceReadsAndAnotherTakesOverWhenItPausesOrDies() throws Exception {
        Process first = startInstance("instance-a");
        Process second = startInstance("instance-b");
        StoreTruth.awaitStoreEqualsTruth(system.simulator().tenant(), client, PATIENCE);

        Map<String, Long> before = system.simulator().deltaRequestsByClient();
        assertThat(before).as("delta requests per client while both run").hasSize(1);
        String firstActive = before.keySet().iterator().next();
        Process zombie = firstActive.endsWith("instance-a") ? first : second;
        Process other = zombie == first ? second : first;
        String otherToken = tokenOf(other == first ? "instance-a" : "instance-b");
        system.simulator().changesPerSecond(50);
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);

        // a pause longer than the lease (as a long GC pause or a frozen VM): the other takes over, and the paused
        // one, when it comes back, finds itself fenced and stands by
        signal("STOP", zombie);
        System.out.printf("directory-sync take-over after a pause: %.1f s%n", awaitReading(otherToken, 0));
        signal("CONT", zombie);
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);

        // the active one dies without any clean-up: the one that was paused takes over again
        long readByOther = system.simulator().deltaRequestsByClient().get(otherToken);
        other.destroyForcibly().waitFor();
        readByOther = system.simulator().deltaRequestsByClient().get(otherToken);
        long readByZombie = system.simulator().deltaRequestsByClient().get(firstActive);
        System.out.printf("directory-sync take-over after kill -9: %.1f s%n", awaitReading(firstActive,
                readByZombie));

        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        system.simulator().changesPerSecond(0);
        StoreTruth.awaitStoreEqualsTruth(system.simulator().tenant(), client, PATIENCE);
        assertThat(system.simulator().deltaRequestsByClient().get(otherToken))
                .as("the killed instance read nothing more").isEqualTo(readByOther);

        Map<String, Set<String>> publishersByPage = publishersByPage();
        assertThat(publishersByPage).isNotEmpty();
        assertThat(publishersByPage).allSatisfy((page, publishers) -> assertThat(publishers)
                .as("instances that published page " + page).hasSize(1));
        assertThat(publishersByPage.values().stream().flatMap(Set::stream).distinct())
                .as("both instances published, one after the other").hasSize(2);
    }

    /** Waits until the client behind {@code token} has read more than {@code after} delta pages; seconds taken. */
    private static double awaitReading(String token, long after) {
        long from = System.nanoTime();
        await().atMost(TAKE_OVER_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> system.simulator().deltaRequestsByClient().getOrDefault(token, 0L) > after);
        return (System.nanoTime() - from) / 1e9;
    }

    private static String tokenOf(String clientId) {
        return GraphClients.SIMULATOR_TOKEN + ":" + clientId;
    }

    private static void signal(String signal, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .isZero();
    }

    /** Which instances published each page (round and page number) on {@code directory.user-changes}. */
    private static Map<String, Set<String>> publishersByPage() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Set<String>> publishers = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_CHANGES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header page = record.headers().lastHeader(DirectoryStateKeys.PAGE_HEADER);
                    if (page != null) {
                        String[] parts = new String(page.value(), StandardCharsets.UTF_8).split("/", 2);
                        publishers.computeIfAbsent(parts[1], k -> new HashSet<>()).add(parts[0]);
                    }
                }
            }
        }
        return publishers;
    }

    /** directory-sync as its own JVM, from this test's class path, reading Graph as {@code clientId}. */
    private static Process startInstance(String clientId) throws IOException {
        LocalSettings settings = system.settings();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                DirectorySyncApplication.class.getName(),
                "--server.port=0", "--management.server.port=0",
                "--spring.autoconfigure.exclude=" + LocalSystem.NO_DATABASE,
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                        + LocalTokens.in(settings.dataDir()).publicKey().toAbsolutePath(),
                "--spring.kafka.bootstrap-servers=" + settings.bootstrapServers(),
                "--profile-sync.directory.graph.base-url=" + system.simulator().graphUrl(),
                "--profile-sync.directory.graph.client-id=" + clientId,
                "--profile-sync.directory.delta-interval=2s",
                "--profile-sync.directory.lease.session-timeout=6s",
                "--profile-sync.directory.topics.partitions=" + settings.partitions()));
        File log = dataDir.resolve("directory-sync-" + clientId + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        instances.add(process);
        return process;
    }
}
