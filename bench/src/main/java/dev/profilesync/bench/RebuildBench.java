package dev.profilesync.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.profilesync.applier.snapshot.Rebuild;
import dev.profilesync.events.ProfileSnapshots;
import dev.profilesync.events.Topics;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;

/**
 * {@code bench/run-rebuild [profiles]}: a store rebuilt from {@code profile.snapshots}. Loads the topic (12
 * partitions, on the embedded broker) with snapshots shaped like the applier's (11 fields with their versions), then
 * times {@code Rebuild} into an empty PostgreSQL schema, checksum included. Writes {@code rebuild.md}.
 */
public final class RebuildBench {

    private RebuildBench() {
    }

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
        Path dir = Files.createTempDirectory("rebuild-bench");
        LocalSettings settings = new LocalSettings(dir, freePort(), freePort(), 0, 0, 0, 0, 0,
                LocalSettings.ManagementPorts.from(0), null, null, 12, 0, 0, 0);
        StringBuilder md = new StringBuilder();
        try (LocalKafka kafka = LocalKafka.start(settings); BenchDatabase db = new BenchDatabase()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    settings.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.PROFILE_SNAPSHOTS, 12, (short) 1).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            }
            long loadStart = System.nanoTime();
            load(settings.bootstrapServers(), profiles);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            Properties consumer = new Properties();
            consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            long start = System.nanoTime();
            Rebuild.Result result = Rebuild.run(consumer, new DriverManagerDataSource(db.url()), null, System.err);
            double seconds = (System.nanoTime() - start) / 1e9;
            md.append(String.format(Locale.ROOT, "Rebuild from profile.snapshots, %d cores (%s): embedded broker, "
                    + "PostgreSQL 15 and the rebuild on the same cores; snapshots of ~%d bytes (11 fields and their "
                    + "versions), loaded in %.0f s.%n%n| profiles | rebuild (schema, %d records, write, checksum) | "
                    + "profiles/s |%n|---:|---:|---:|%n| %,d | %.0f s | %,.0f |%n%nChecksum of the new store: `%s`.%n",
                    Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(), snapshot(UUID.randomUUID()
                            .toString(), 0).length, loadSeconds, result.records(), result.profiles(), seconds,
                    result.profiles() / seconds, result.checksum()));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("rebuild.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    private static void load(String bootstrapServers, int profiles) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < profiles; i++) {
                String id = new UUID(0x6e7b768e07e24810L, i).toString();
                producer.send(ProfileSnapshots.snapshot(id, snapshot(id, i), "bench-" + i,
                        Instant.parse("2026-11-01T00:00:00Z").plusMillis(i)), (metadata, e) -> {
                            if (e != null) {
                                failure.set(e);
                            }
                        });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static byte[] snapshot(String id, int i) {
        String at = Instant.parse("2026-11-01T00:00:00Z").plusMillis(i).toString();
        String version = "{\"observedAt\":\"" + at + "\",\"eventId\":\"bench-" + i + "\"}";
        StringBuilder json = new StringBuilder("{\"id\":\"").append(id).append('"');
        String[][] fields = {{"displayName", "User " + i}, {"givenName", "Given" + i}, {"surname", "Surname" + i},
            {"mail", "user" + i + "@example.com"}, {"userPrincipalName", "user" + i + "@example.com"},
            {"jobTitle", "Engineer " + (i % 40)}, {"department", "Department " + (i % 25)},
            {"officeLocation", "Building " + (i % 9)}, {"city", "City " + (i % 70)}, {"country", "NL"}};
        StringBuilder versions = new StringBuilder("{\"present\":").append(version);
        for (String[] field : fields) {
            json.append(",\"").append(field[0]).append("\":\"").append(field[1]).append('"');
            versions.append(",\"").append(field[0]).append("\":").append(version);
        }
        json.append(",\"accountEnabled\":true");
        versions.append(",\"accountEnabled\":").append(version).append('}');
        json.append(",\"sync\":{\"lastObservedAt\":\"").append(at).append("\",\"lastAppliedAt\":\"").append(at)
                .append("\",\"lastSource\":\"graph\",\"lastEventId\":\"bench-").append(i).append("\"}");
        json.append(",\"versions\":").append(versions).append('}');
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
