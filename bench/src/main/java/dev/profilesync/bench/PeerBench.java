package dev.profilesync.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;

/**
 * {@code bench/run-peer}: our applier against the peer users would pick, Kafka Connect 4.1.2 standalone with
 * Debezium's JDBC sink 3.6.0.Final in upsert mode (tuned: {@code max.poll.records} 2000, {@code batch.size} 2000,
 * reduction buffer on), on the same change set, partitions and PostgreSQL, in the same run, plus PostgreSQL's plain
 * whole-row upsert ceiling on the same changes (one row written per change). For each: changes/s, and CPU-seconds
 * per 1,000 changes of the consumer's JVM, of this JVM (the broker; for ours also the applier, which runs in it) and
 * of PostgreSQL. Two shapes: {@code backlog} (the bench set: ~4 changes per user, all queued) and {@code steady} (each
 * user changes exactly once, so nothing can be merged). Writes {@code peer.md}.
 */
public final class PeerBench {

    private static final String TOPIC = "peer.user-changes";
    private static final List<ProfileField> COLUMNS = List.of(ProfileField.DISPLAY_NAME, ProfileField.JOB_TITLE,
            ProfileField.DEPARTMENT, ProfileField.OFFICE_LOCATION, ProfileField.MOBILE_PHONE, ProfileField.CITY,
            ProfileField.MANAGER_ID);

    private PeerBench() {
    }

    /** One measured run: changes/s and CPU-seconds per 1,000 changes. */
    record Run(double perSecond, double consumerCpu, double benchCpu, double postgresCpu) {
    }

    public static void main(String[] args) throws Exception {
        for (String quiet : List.of("org.springframework", "com.zaxxer", "org.flywaydb", "dev.profilesync",
                "org.apache.catalina", "org.apache.tomcat", "org.apache.kafka", "kafka")) {
            System.setProperty("logging.level." + quiet, "WARN");
        }
        Map<String, String> options = new HashMap<>(Map.of("changes", "200000", "users", "50000", "partitions", "4",
                "consumers", "4", "repeat", "3", "shapes", "backlog,steady", "out", "bench/results",
                "connect-lib", "bench/connect/target/lib", "plugins", "bench/connect/target/plugins"));
        options.put("parts", "applier,applier-without-snapshots,connect,ceiling");
        options.put("peer-batch", "2000");
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int changes = Integer.parseInt(options.get("changes"));
        int partitions = Integer.parseInt(options.get("partitions"));
        int consumers = Integer.parseInt(options.get("consumers"));
        int repeat = Integer.parseInt(options.get("repeat"));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# profile-applier against Kafka Connect + "
                + "Debezium JDBC sink%n%n%d cores, %s. PostgreSQL 15 (%s), the broker (in the bench JVM), the consumer under "
                + "test and PostgreSQL share the cores. %d changes, %d partitions, %d consumer threads / tasks; all "
                + "queued before the consumer starts. Clocks: the applier from the moment its consumers, joined and "
                + "assigned, are let go, to its last change applied; Connect (which takes ~10 s to start, not counted) "
                + "from the first row in the table to every row at its final version, which leaves its first batches "
                + "(up to one of 2,000 rows per task) out of its clock, in its favour. The applier used to be clocked "
                + "from its first commit too; it commits whole polls of up to 40,000 changes, so that credited it with "
                + "several polls' work done before the clock started. "
                + "Medians of %d runs, range in brackets. CPU: CPU-seconds per 1,000 changes during the clocked "
                + "interval.%n%n", Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now(),
                BenchDatabase.serverSettings(), changes,
                partitions, consumers, repeat));
        for (String shape : options.get("shapes").split(",")) {
            int users = shape.equals("steady") ? changes : Integer.parseInt(options.get("users"));
            List<UserChanged> set = ChangeSet.generate(changes, users, 42, shape.equals("steady"));
            List<Run> ours = new ArrayList<>();
            List<Run> oursBare = new ArrayList<>();
            List<Run> peer = new ArrayList<>();
            List<Run> ceiling = new ArrayList<>();
            applier(set.subList(0, Math.min(set.size(), 40_000)), partitions, consumers, ""); // warm-up
            List<String> parts = List.of(options.get("parts").split(","));
            Run none = new Run(Double.NaN, -1, Double.NaN, Double.NaN);
            for (int run = 0; run < repeat; run++) {
                ours.add(parts.contains("applier") ? applier(set, partitions, consumers, "") : none);
                oursBare.add(parts.contains("applier-without-snapshots") ? applier(set, partitions, consumers,
                        "--profile-sync.applier.snapshots.enabled=false") : none);
                peer.add(parts.contains("connect") ? connect(set, partitions, consumers, options) : none);
                ceiling.add(parts.contains("ceiling") ? wholeRowCeiling(set, consumers) : none);
                System.out.printf(Locale.ROOT, "%s run %d: applier %.0f/s (without snapshots %.0f/s), "
                        + "Connect+Debezium %.0f/s, whole-row upsert ceiling %.0f/s%n", shape, run + 1,
                        ours.get(run).perSecond(), oursBare.get(run).perSecond(), peer.get(run).perSecond(),
                        ceiling.get(run).perSecond());
            }
            md.append(String.format(Locale.ROOT, "## %s: %,d changes over %,d users%s%n%n", shape, changes, users,
                    shape.equals("steady") ? ", each user exactly once" : ""));
            md.append("| | changes/s | CPU-s / 1k changes: consumer JVM | bench JVM (broker) | PostgreSQL |\n"
                    + "|---|---:|---:|---:|---:|\n");
            md.append(row("profile-applier as shipped (per-field last-writer-wins, ownership, tombstones, snapshot "
                    + "stream; runs in the bench JVM)", ours));
            md.append(row("profile-applier without the snapshot stream", oursBare));
            md.append(row("Kafka Connect 4.1.2 + Debezium JDBC sink 3.6.0.Final, upsert, tuned", peer));
            md.append(row("PostgreSQL whole-row upsert ceiling (each change as one row, the last per user in a "
                    + "2,000-row batch; no Kafka)", ceiling));
            md.append(String.format(Locale.ROOT, "%n**profile-applier / tuned peer: %.2f× as shipped, %.2f× "
                    + "without the snapshot stream** (same run). The peer writes whole rows: a change of one field "
                    + "writes NULL into the others; no per-field last-writer-wins, no field ownership, no deletions "
                    + "that survive reordering, no snapshot stream.%n%n", median(ours) / median(peer),
                    median(oursBare) / median(peer)));
        }
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("peer.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    private static String row(String name, List<Run> runs) {
        double[] speeds = runs.stream().mapToDouble(Run::perSecond).sorted().toArray();
        return String.format(Locale.ROOT, "| %s | %,.0f (%,.0f–%,.0f) | %s | %.3f | %.3f |%n", name,
                median(runs), speeds[0], speeds[speeds.length - 1],
                runs.get(0).consumerCpu() < 0 ? "–" : String.format(Locale.ROOT, "%.3f",
                        runs.stream().mapToDouble(Run::consumerCpu).sorted().toArray()[runs.size() / 2]),
                runs.stream().mapToDouble(Run::benchCpu).sorted().toArray()[runs.size() / 2],
                runs.stream().mapToDouble(Run::postgresCpu).sorted().toArray()[runs.size() / 2]);
    }

    private static double median(List<Run> runs) {
        double[] speeds = runs.stream().mapToDouble(Run::perSecond).sorted().toArray();
        return speeds.length % 2 == 1 ? speeds[speeds.length / 2]
                : (speeds[speeds.length / 2 - 1] + speeds[speeds.length / 2]) / 2;
    }

    /** Our applier: it runs in this JVM, so its CPU is in the bench JVM's column. */
    private static Run applier(List<UserChanged> set, int partitions, int consumers, String extra)
            throws Exception {
        // -Dbench.live=true: the topic is empty until the applier runs, then gets the changes in one transaction, and
        // the clock starts at its commit (everything the instance does with the changes is on the clock)
        boolean live = Boolean.getBoolean("bench.live");
        try (BenchDatabase db = new BenchDatabase();
                BenchKafka kafka = new BenchKafka(partitions, live ? List.of() : set)) {
            Applier.Drain drain = Applier.run(kafka.bootstrapServers(), db.url(), partitions, consumers, set.size(),
                    System.getProperty("bench.applier.args", "") + " " + extra,
                    live ? () -> ChangeSet.sendInTransaction(kafka.bootstrapServers(), set) : null);
            double k = set.size() / 1000.0;
            return new Run(drain.perSecond(), -1, drain.jvmCpu() / k, drain.postgresCpu() / k);
        }
    }

    /** Kafka Connect standalone with the Debezium JDBC sink, as a separate JVM. */
    private static Run connect(List<UserChanged> set, int partitions, int tasks, Map<String, String> options)
            throws Exception {
        Path dir = Files.createTempDirectory("peer-connect");
        LocalSettings settings = new LocalSettings(dir, freePort(), freePort(), 0, 0, 0, 0, 0,
                LocalSettings.ManagementPorts.from(0), null, null, partitions, 0, 0, 0);
        try (BenchDatabase db = new BenchDatabase(); LocalKafka kafka = LocalKafka.start(settings)) {
            try (Connection connection = DriverManager.getConnection(db.url());
                    Statement statement = connection.createStatement()) {
                StringBuilder table = new StringBuilder("CREATE TABLE profile_peer (user_id TEXT PRIMARY KEY");
                for (ProfileField column : COLUMNS) {
                    table.append(", ").append(column(column)).append(" TEXT");
                }
                statement.execute(table.append(", seq BIGINT)").toString());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    settings.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            }
            Map<String, Long> finalSeq = load(settings.bootstrapServers(), set);
            Map<String, Long> lastPerPartition = lastPerPartition(set, partitions);
            Path worker = dir.resolve("worker.properties");
            Files.writeString(worker, String.join("\n",
                    "bootstrap.servers=" + settings.bootstrapServers(),
                    "key.converter=org.apache.kafka.connect.storage.StringConverter",
                    "value.converter=org.apache.kafka.connect.json.JsonConverter",
                    "value.converter.schemas.enable=true",
                    "offset.storage.file.filename=" + dir.resolve("offsets"),
                    "plugin.path=" + Path.of(options.get("plugins")).toAbsolutePath(),
                    "listeners=http://127.0.0.1:" + freePort(), ""));
            Path sink = dir.resolve("sink.properties");
            String jdbc = db.url();
            Files.writeString(sink, String.join("\n",
                    "name=peer-sink", "connector.class=io.debezium.connector.jdbc.JdbcSinkConnector",
                    "tasks.max=" + tasks, "topics=" + TOPIC,
                    "connection.url=" + jdbc.substring(0, jdbc.indexOf("&user=")),
                    "connection.username=postgres", "connection.password=",
                    "insert.mode=upsert", "primary.key.mode=record_key", "primary.key.fields=user_id",
                    "schema.evolution=none", "collection.name.format=profile_peer", "use.reduction.buffer=true",
                    "consumer.override.max.poll.records=" + options.get("peer-batch"),
                    "batch.size=" + options.get("peer-batch"),
                    "transforms=key", "transforms.key.type=org.apache.kafka.connect.transforms.HoistField$Key",
                    "transforms.key.field=user_id", ""));
            String classpath = Path.of(options.get("connect-lib")).toAbsolutePath() + File.separator + "*";
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dlog4j2.configurationFile=" + Path.of(options.get("connect-lib")).toAbsolutePath()
                            .getParent().getParent().resolve("log4j2.properties"),
                    "-cp", classpath, "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(),
                    sink.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("connect.log").toFile())
                    .start();
            try (Connection connection = DriverManager.getConnection(db.url())) {
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (count(connection, "SELECT COUNT(*) FROM profile_peer") == 0) {
                    check(process, dir, deadline);
                    Thread.sleep(20);
                }
                long start = System.nanoTime();
                double connectCpu = CpuClock.process(process.pid());
                double self = CpuClock.self();
                double postgres = CpuClock.postgres();
                // a task writes each partition in order: once the last change of every partition is in the table,
                // everything before it is; checking those few rows keeps the watching cheap for PostgreSQL
                StringBuilder lastRows = new StringBuilder("SELECT COUNT(*) FROM profile_peer WHERE (user_id, seq) IN (");
                lastPerPartition.forEach((user, seq) -> lastRows.append("('").append(user).append("',").append(seq)
                        .append("),"));
                lastRows.setCharAt(lastRows.length() - 1, ')');
                while (count(connection, lastRows.toString()) < lastPerPartition.size()) {
                    check(process, dir, deadline);
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double connectCpuEnd = CpuClock.process(process.pid());
                double selfEnd = CpuClock.self();
                double postgresEnd = CpuClock.postgres();
                createExpected(connection, finalSeq);
                long finalRows = count(connection, "SELECT COUNT(*) FROM profile_peer p JOIN peer_expected e "
                        + "ON e.user_id = p.user_id AND e.seq = p.seq");
                if (finalRows != finalSeq.size()) {
                    throw new IllegalStateException("the peer's table has " + finalRows + " of " + finalSeq.size()
                            + " rows at their final change");
                }
                double k = set.size() / 1000.0;
                return new Run(set.size() / seconds, (connectCpuEnd - connectCpu) / k, (selfEnd - self) / k,
                        (postgresEnd - postgres) / k);
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
    }

    /** The last change of each partition (user and seq), partitioned as the producer's default partitioner does. */
    private static Map<String, Long> lastPerPartition(List<UserChanged> set, int partitions) {
        Map<Integer, String> lastUser = new HashMap<>();
        Map<Integer, Long> lastSeq = new HashMap<>();
        for (int i = 0; i < set.size(); i++) {
            byte[] key = set.get(i).userId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int partition = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(key)) % partitions;
            lastUser.put(partition, set.get(i).userId());
            lastSeq.put(partition, (long) i);
        }
        Map<String, Long> last = new HashMap<>();
        lastUser.forEach((partition, user) -> last.merge(user, lastSeq.get(partition), Math::max));
        return last;
    }

    private static void check(Process process, Path dir, long deadline) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka Connect stopped or took too long; see " + dir.resolve("connect.log"));
        }
    }

    private static void createExpected(Connection connection, Map<String, Long> finalSeq) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE peer_expected (user_id TEXT PRIMARY KEY, seq BIGINT)");
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO peer_expected SELECT * FROM unnest(?::text[], ?::int8[])")) {
            insert.setArray(1, connection.createArrayOf("text", finalSeq.keySet().toArray()));
            insert.setArray(2, connection.createArrayOf("int8", finalSeq.values().toArray()));
            insert.execute();
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYet) {
            return 0;
        }
    }

    /**
     * The peer's copy of the change set: the row with the inline schema the JSON converter needs; fields a change
     * does not set are null, as a whole-row upsert writes them.
     */
    private static Map<String, Long> load(String bootstrapServers, List<UserChanged> set) throws Exception {
        StringBuilder fields = new StringBuilder();
        for (ProfileField column : COLUMNS) {
            fields.append("{\"field\":\"").append(column(column)).append("\",\"type\":\"string\",\"optional\":true},");
        }
        // the leanest form the sink takes: the row itself with its inline schema (no envelope, no transform of the
        // value), the form most favourable to the peer
        String schema = "{\"type\":\"struct\",\"optional\":false,\"fields\":[" + fields
                + "{\"field\":\"seq\",\"type\":\"int64\",\"optional\":false}]}";
        Map<String, Long> finalSeq = new HashMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            long seq = 0;
            for (UserChanged change : set) {
                StringBuilder data = new StringBuilder("{");
                for (ProfileField column : COLUMNS) {
                    Object value = change.fields().get(column);
                    data.append('"').append(column(column)).append("\":")
                            .append(value == null ? "null" : "\"" + value + "\"").append(',');
                }
                data.append("\"seq\":").append(seq).append('}');
                String value = "{\"schema\":" + schema + ",\"payload\":" + data + "}";
                producer.send(new ProducerRecord<>(TOPIC, change.userId(), value), (metadata, e) -> {
                    if (e != null) {
                        failure.set(e);
                    }
                });
                finalSeq.put(change.userId(), seq++);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return finalSeq;
    }

    /** The same changes as whole-row upserts straight into PostgreSQL: one row per change, batches of 2,000. */
    private static Run wholeRowCeiling(List<UserChanged> set, int connections) throws Exception {
        try (BenchDatabase db = new BenchDatabase()) {
            try (Connection connection = DriverManager.getConnection(db.url());
                    Statement statement = connection.createStatement()) {
                StringBuilder table = new StringBuilder("CREATE TABLE profile_peer (user_id TEXT PRIMARY KEY");
                COLUMNS.forEach(column -> table.append(", ").append(column(column)).append(" TEXT"));
                statement.execute(table.append(", seq BIGINT)").toString());
            }
            // the arrays unnested in the select list, stepped through together (ProjectSet), as the applier's
            // upsert does: FROM unnest(a, b, ...) would first copy each array into a tuple store of its own
            StringBuilder sql = new StringBuilder("INSERT INTO profile_peer AS p SELECT unnest(?::text[])");
            COLUMNS.forEach(column -> sql.append(", unnest(?::text[])"));
            sql.append(", unnest(?::int8[]) ON CONFLICT (user_id) DO UPDATE SET ");
            COLUMNS.forEach(column -> sql.append(column(column)).append(" = excluded.").append(column(column))
                    .append(", "));
            sql.append("seq = excluded.seq");
            // one writer per partition-like slice of users, as consumers own partitions
            List<List<UserChanged>> slices = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                slices.add(new ArrayList<>());
            }
            for (UserChanged change : set) {
                slices.get(Math.floorMod(change.userId().hashCode(), connections)).add(change);
            }
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            double postgres = CpuClock.postgres();
            double self = CpuClock.self();
            long start = System.nanoTime();
            List<Future<?>> writers = new ArrayList<>();
            for (List<UserChanged> slice : slices) {
                writers.add(pool.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(db.url());
                            PreparedStatement upsert = connection.prepareStatement(sql.toString())) {
                        for (int from = 0; from < slice.size(); from += 2_000) {
                            // one row per user per statement: the last change of a user in the batch
                            Map<String, UserChanged> last = new java.util.LinkedHashMap<>();
                            for (UserChanged change : slice.subList(from, Math.min(slice.size(), from + 2_000))) {
                                last.put(change.userId(), change);
                            }
                            List<UserChanged> rows = new ArrayList<>(last.values());
                            upsert.setArray(1, connection.createArrayOf("text",
                                    rows.stream().map(UserChanged::userId).toArray()));
                            for (int c = 0; c < COLUMNS.size(); c++) {
                                ProfileField column = COLUMNS.get(c);
                                upsert.setArray(2 + c, connection.createArrayOf("text", rows.stream()
                                        .map(r -> r.fields().get(column)).toArray()));
                            }
                            upsert.setArray(2 + COLUMNS.size(), connection.createArrayOf("int8",
                                    rows.stream().map(r -> Long.parseLong(r.eventId().substring(6))).toArray()));
                            upsert.execute();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            double k = set.size() / 1000.0;
            return new Run(set.size() / seconds, -1, (CpuClock.self() - self) / k, (CpuClock.postgres() - postgres) / k);
        }
    }

    private static String column(ProfileField field) {
        return field.jsonName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
