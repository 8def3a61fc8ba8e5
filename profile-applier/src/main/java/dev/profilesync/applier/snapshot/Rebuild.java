package dev.profilesync.applier.snapshot;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.applier.store.ProfileTable;
import dev.profilesync.applier.write.PendingProfile;
import dev.profilesync.applier.write.ProfileWriter;
import dev.profilesync.applier.write.SnapshotRestore;
import dev.profilesync.events.Topics;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a new profile store (H2 or PostgreSQL, empty) from {@code profile.snapshots}: creates the schema, reads the
 * topic from its beginning to the end it had when the rebuild started, writes every live profile with the versions of
 * its registers, shows progress, and ends with the counts and the store's checksum, compared with a source store's
 * when one is given. Uses: move the embedded default from H2 to PostgreSQL, recover a lost database.
 *
 * <pre>
 * java -cp profile-applier-0.1.0-exec.jar -Dloader.main=dev.profilesync.applier.snapshot.Rebuild \
 *   org.springframework.boot.loader.launch.PropertiesLauncher \
 *   --bootstrap-servers=127.0.0.1:9092 --target=jdbc:postgresql://127.0.0.1:5432/profiles?user=... \
 *   [--compare-with=jdbc:h2:file:./data/profiles] [--kafka.security.protocol=SASL_SSL ...]
 * </pre>
 * Exit status 0 when done (and equal to the source, if given), 1 when the checksums differ, 2 on bad arguments.
 */
public final class Rebuild {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a rebuild did. */
    public record Result(long records, long tombstones, StoreChecksum target, StoreChecksum source) {

        public long profiles() {
            return target.profiles();
        }

        public String checksum() {
            return target.sha256();
        }

        public boolean matches() {
            return source == null || source.equals(target);
        }
    }

    private Rebuild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        Properties kafka = new Properties();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("expected --name=value, got " + arg);
                System.exit(2);
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (name.startsWith("kafka.")) {
                kafka.put(name.substring("kafka.".length()), value);
            } else {
                options.put(name, value);
            }
        }
        if (!options.containsKey("bootstrap-servers") || !options.containsKey("target")) {
            System.err.println("usage: Rebuild --bootstrap-servers=<brokers> --target=<jdbc url of an empty store> "
                    + "[--compare-with=<jdbc url of the source store>] [--kafka.<client setting>=<value> ...]");
            System.exit(2);
        }
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("bootstrap-servers"));
        Result result = run(kafka, dataSource(options.get("target")),
                options.containsKey("compare-with") ? dataSource(options.get("compare-with")) : null, System.err);
        System.out.printf(Locale.ROOT, "snapshot records read: %,d (tombstones %,d)%nprofiles in the new store: %,d%n"
                + "checksum of the new store:    %s%n", result.records(), result.tombstones(), result.profiles(),
                result.checksum());
        if (result.source() != null) {
            System.out.printf(Locale.ROOT, "checksum of the source store: %s (%,d profiles): %s%n",
                    result.source().sha256(), result.source().profiles(), result.matches() ? "EQUAL" : "DIFFERENT");
        }
        System.exit(result.matches() ? 0 : 1);
    }

    /** Rebuilds {@code target} from the snapshot topic; {@code progress} gets the progress bar. */
    public static Result run(Properties kafka, DataSource target, DataSource compareWith, PrintStream progress)
            throws SQLException {
        Flyway.configure().dataSource(target).locations("classpath:db/migration/profile-applier/"
                + (ProfileTable.isPostgres(target) ? "postgresql" : "h2"))
                .load().migrate();
        Long existing = new JdbcTemplate(target).queryForObject("SELECT COUNT(*) FROM profile", Long.class);
        if (existing != null && existing > 0) {
            throw new IllegalStateException("the target store is not empty (" + existing + " rows); rebuild into a "
                    + "new, empty database");
        }
        ProfileWriter writer = new ProfileWriter(target, new TransactionTemplate(
                new DataSourceTransactionManager(target)));
        JdbcTemplate jdbc = new JdbcTemplate(target);
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        long records = 0;
        long tombstones = 0;
        // the snapshots are lz4 batches: decompress them natively, not with lz4-java's Java fallback
        dev.profilesync.events.Lz4Native.prefer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROFILE_SNAPSHOTS, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
            long total = partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
            Progress bar = new Progress(progress, total);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        latest.put(record.key(), record);
                        records++;
                    }
                }
                List<PendingProfile> rows = new ArrayList<>();
                List<String> deleted = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : latest.values()) {
                    if (record.value() == null) {
                        deleted.add(record.key());
                        tombstones++;
                    } else {
                        rows.add(SnapshotRestore.of(JSON.readTree(record.value())));
                    }
                }
                for (int from = 0; from < deleted.size(); from += 500) {
                    List<String> chunk = deleted.subList(from, Math.min(deleted.size(), from + 500));
                    jdbc.update("DELETE FROM profile WHERE user_id IN ("
                            + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                            chunk.toArray());
                }
                writer.apply(rows, Instant.now());
                bar.show(read(consumer, partitions, start));
            }
            bar.done(read(consumer, partitions, start));
        }
        StoreChecksum built;
        try (Connection connection = target.getConnection()) {
            built = StoreChecksum.of(connection);
        }
        StoreChecksum source = null;
        if (compareWith != null) {
            try (Connection connection = compareWith.getConnection()) {
                source = StoreChecksum.of(connection);
            }
        }
        return new Result(records, tombstones, built, source);
    }

    /** How far the rebuild has read: offsets passed, transaction markers included. */
    private static long read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> start) {
        return partitions.stream().mapToLong(p -> consumer.position(p) - start.get(p)).sum();
    }

    /** The checksum of a store, e.g. to compare a rebuilt one with its source. */
    public static StoreChecksum checksum(DataSource store) throws SQLException {
        try (Connection connection = store.getConnection()) {
            return StoreChecksum.of(connection);
        }
    }

    private static DataSource dataSource(String url) {
        return new DriverManagerDataSource(url);
    }

    /** A one-line progress bar, redrawn at most twice a second. */
    private static final class Progress {

        private final PrintStream out;
        private final long total;
        private final long started = System.nanoTime();
        private long shownAt;

        Progress(PrintStream out, long total) {
            this.out = out;
            this.total = Math.max(1, total);
        }

        void show(long done) {
            long now = System.nanoTime();
            if (now - shownAt > 500_000_000L) {
                shownAt = now;
                draw(done, "");
            }
        }

        void done(long done) {
            draw(done, "\n");
        }

        private void draw(long done, String end) {
            int width = 30;
            int filled = (int) Math.min(width, done * width / total);
            double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
            out.printf(Locale.ROOT, "\r[%s%s] %3d%% %,d/%,d offsets, %,.0f/s%s", "#".repeat(filled),
                    ".".repeat(width - filled), done * 100 / total, done, total, done / seconds, end);
            out.flush();
        }
    }
}
