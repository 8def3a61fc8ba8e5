package dev.profilesync.bench;

import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.UserChanged;
import dev.profilesync.local.LocalTokens;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code bench/run-reads}: what the read API costs the applier. A store of 1,000,000 profiles in PostgreSQL, the real
 * applier (4 partitions, 4 threads) in this JVM with the broker, and its read API there too or, with
 * {@code -Dbench.read-api=replica}, in a read replica of its own (a second JVM, {@code profile-sync.applier.apply=false});
 * the load generator always runs in a JVM of its own. With {@code -Dbench.cores=split} too, the writers and the readers
 * each get one of the two cores ({@link CoreSplit}). The applier drains backlogs of
 * 200,000 directory changes (updates of those profiles) with no reads, then while 200 read requests per second (half
 * profile by id, 30 % substring search, a fifth of those searches going on to the next page by cursor, 20 %
 * sync-status) run for {@code minutes}, then with no reads again. Prints and writes {@code reads.md}.
 */
public final class ReadBench {

    private static final String[] FIRST = {"Grace", "Alan", "Barbara", "Edsger", "Ada", "Linus", "Margaret", "Donald",
        "Frances", "Ken", "Dennis", "Radia", "Leslie", "Tim", "Hedy", "John", "Sophie", "Niklaus", "Anita", "Bjarne",
        "Katherine", "Guido", "Shafi", "Yukihiro", "Mary", "James", "Adele", "Fernando", "Jean", "Lynn", "Whitfield",
        "Carol"};
    private static final String[] LAST = {"Hopper", "Turing", "Liskov", "Dijkstra", "Lovelace", "Torvalds", "Hamilton",
        "Knuth", "Allen", "Thompson", "Ritchie", "Perlman", "Lamport", "Berners-Lee", "Lamarr", "McCarthy", "Wilson",
        "Wirth", "Borg", "Stroustrup", "Johnson", "van Rossum", "Goldwasser", "Matsumoto", "Keller", "Gosling",
        "Goldberg", "Corbato", "Sammet", "Conway", "Diffie", "Shaw", "Kay", "Hoare", "Milner", "Backus", "Naur",
        "Cerf", "Kahn", "Engelbart", "Sutherland", "Karp", "Cook", "Rabin", "Scott", "Codd", "Gray", "Stonebraker",
        "Bachman", "Floyd", "Tarjan", "Hartmanis", "Stearns", "Valiant", "Yao", "Pnueli", "Clarke", "Emerson",
        "Sifakis", "Pearl", "Micali", "Bengio", "Hinton", "LeCun"};
    private static final String[] DEPARTMENTS = {"Sales", "Engineering", "Finance", "Legal", "Support", "Research"};
    /** 120 consonant-vowel syllables: made-up names spread like real ones (a fragment matches a few hundred). */
    private static final String[] SYLLABLES = syllables();
    private static final int PORT = 38481;

    private ReadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--client")) {
            ReadLoad.runClient(args);
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        int profiles = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        double minutes = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        int rate = 200;
        int backlog = 200_000;
        List<String> ids = ChangeSet.ids(profiles, new Random(11));
        Path keys = Files.createTempDirectory("read-bench");
        LocalTokens tokens = LocalTokens.in(keys);
        String token = tokens.readToken();
        try (BenchDatabase db = new BenchDatabase(); BenchKafka kafka = new BenchKafka(4, List.of())) {
            // -Dbench.read-api=replica: the read API in a read replica (a second JVM, profile-sync.applier.apply=false)
            // instead of the applier's own JVM
            boolean replica = "replica".equals(System.getProperty("bench.read-api", "applier"));
            // -Dbench.cores=split (with a replica): the writers (this JVM, PostgreSQL) on core 0, the replica, its
            // backends and the load generator on core 1, as a replica on cores of its own
            if ("split".equals(System.getProperty("bench.cores", "shared"))) {
                if (!replica) {
                    throw new IllegalArgumentException("-Dbench.cores=split needs -Dbench.read-api=replica");
                }
                split = CoreSplit.start(db.url());
            }
            List<String> common = List.of("--management.server.port=0",
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + tokens.publicKey(),
                    "--spring.datasource.url=" + db.url(), "--profile-sync.applier.topics.partitions=4");
            List<String> applierArgs = new ArrayList<>(common);
            applierArgs.addAll(List.of("--server.port=" + (replica ? 0 : PORT),
                    "--spring.datasource.hikari.maximum-pool-size=5", "--profile-sync.applier.consumers=4"));
            try (ConfigurableApplicationContext applier = ProfileApplierApplication.application().run(
                    applierArgs.toArray(String[]::new))) {
                long seeded = seed(db.url(), ids);
                System.out.printf(Locale.ROOT, "seeded %,d profiles%n", seeded);
                if (replica) {
                    List<String> replicaArgs = benchJvm(ProfileApplierApplication.class, "-Xmx1g");
                    replicaArgs.addAll(common.stream().filter(arg -> !arg.startsWith("--spring.datasource.url="))
                            .toList());
                    replicaArgs.add("--spring.datasource.url=" + (split == null ? db.url() : CoreSplit.readerUrl(db.url())));
                    replicaArgs.addAll(List.of("--server.port=" + PORT, "--profile-sync.applier.apply=false",
                            "--spring.datasource.hikari.maximum-pool-size=2"));
                    readApi = new ProcessBuilder(split == null ? replicaArgs : CoreSplit.onReadersCore(replicaArgs))
                            .redirectErrorStream(true)
                            .redirectOutput(keys.resolve("replica.log").toFile()).start();
                    Runtime.getRuntime().addShutdownHook(new Thread(readApi::destroyForcibly));
                    awaitReadApi(token, ids.get(0));
                    System.out.println("read replica up, pid " + readApi.pid() + ", log " + keys.resolve("replica.log"));
                }
                MeterRegistry registry = applier.getBean(MeterRegistry.class);
                MessageListenerContainer container = applier.getBean(KafkaListenerEndpointRegistry.class)
                        .getListenerContainer(ConsumerGroups.PROFILE_APPLIER);
                Drains drains = new Drains(db.url(), kafka.bootstrapServers(), ids, backlog, container, () -> (long) registry
                        .find("profile_sync_applier_changes_applied").counters().stream()
                        .mapToDouble(c -> c.count()).sum());
                drains.drain(); // warm-up
                vacuum(db.url());
                // -Dbench.drains-only=N: N more drains with no reads at all, nothing else (how the store's drain rate
                // moves from drain to drain by itself)
                int drainsOnly = Integer.getInteger("bench.drains-only", 0);
                for (int i = 0; i < drainsOnly; i++) {
                    drains.drain();
                }
                if (drainsOnly > 0) {
                    System.out.println(updates(db.url()));
                    applier.close();
                    kafka.close();
                    db.close(); // drops the bench's schema
                    if (split != null) {
                        split.close();
                    }
                    System.exit(0);
                }
                drains.checkpoints = 0;
                drains.requestedCheckpoints = 0;
                drains.walBytes = 0;
                // the read path's code compiled before anything is measured: the JIT's work is not the reads' cost
                ReadLoad warmUp = new ReadLoad(token, ids, rate);
                warmUp.startProcess(profiles);
                Thread.sleep(60_000);
                warmUp.stopProcess();
                StringBuilder costs = new StringBuilder();
                double idleStart = serverCpu();
                double idlePgStart = CpuClock.postgres();
                Thread.sleep(20_000);
                double idlePerSecond = (serverCpu() - idleStart) / 20;
                double idlePgPerSecond = (CpuClock.postgres() - idlePgStart) / 20;
                costs.append(String.format(Locale.ROOT, "| nothing (the idle system, subtracted below) | %.0f ms/s | |%n",
                        idlePerSecond * 1000));
                // -Dbench.alone-seconds: how long each kind of read runs alone (default 20 s)
                int aloneSeconds = Integer.getInteger("bench.alone-seconds", 20);
                for (int kind : new int[] {0, 50, 80}) {
                    ReadLoad alone = new ReadLoad(token, ids, rate, kind);
                    double cpu = serverCpu();
                    double pgCpu = CpuClock.postgres();
                    alone.startProcess(profiles);
                    Thread.sleep(aloneSeconds * 1000L);
                    alone.stopProcess();
                    double used = serverCpu() - cpu - idlePerSecond * aloneSeconds;
                    double pgUsed = CpuClock.postgres() - pgCpu - idlePgPerSecond * aloneSeconds;
                    String name = kind == 0 ? "profile by id" : kind == 50 ? "search" : "sync-status";
                    List<Double> values = new ArrayList<>(alone.millis.getOrDefault(name, new ConcurrentLinkedQueue<>()));
                    Collections.sort(values);
                    costs.append(String.format(Locale.ROOT, "| %s alone, %d/s for %d s, no writes | %.2f ms (PostgreSQL %.2f ms; client: %.2f ms) | %.1f / %.1f ms |%n",
                            name, rate, aloneSeconds, 1000 * used / alone.sent.get(), 1000 * pgUsed / alone.sent.get(),
                            alone.clientCpu.get() / 1e6 / alone.sent.get(),
                            values.get(values.size() / 2),
                            values.get((int) Math.ceil(values.size() * 0.99) - 1)));
                    System.out.print(costs);
                }
                // drains without and with reads, alternating, so that the store's drift over the run (bloat,
                // vacuum) falls on both alike; the reads run during the loaded drains, `minutes` in all
                List<Double> quiet = new ArrayList<>();
                List<Double> loaded = new ArrayList<>();
                ReadLoad load = new ReadLoad(token, ids, rate);
                double loadedSeconds = 0;
                while (loadedSeconds < minutes * 60) {
                    quiet.add(drains.drain());
                    ReadLoad part = new ReadLoad(token, ids, rate);
                    part.startProcess(profiles);
                    loaded.add(drains.drain());
                    part.stopProcess();
                    load.add(part);
                    loadedSeconds += (part.stopped - part.started) / 1e9;
                }
                String updates = updates(db.url()) + String.format(Locale.ROOT, " During the %d drains PostgreSQL"
                        + " wrote %,d MB of WAL and made %d checkpoints, %d of them because of WAL volume"
                        + ".", quiet.size() + loaded.size(), drains.walBytes >> 20, drains.checkpoints,
                        drains.requestedCheckpoints);
                System.out.println(updates);
                if (loaded.isEmpty()) {
                    // only the reads alone were asked for; leave through the end, so the schema is dropped
                    System.out.println(costs);
                } else {
                    String md = report(profiles, rate, minutes, backlog, quiet, loaded, load)
                            + "\n" + updates + "\n"
                            + "\n| read | CPU per request (the applier's JVM, the read replica's if any, and PostgreSQL; the client's own JVM apart) | p50 / p99 |\n|---|---:|---:|\n" + costs;
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("reads.md"), md);
                    System.out.println(md);
                }
            }
        }
        if (split != null) {
            split.close();
        }
        System.exit(0);
    }

    /**
     * How the store took the updates: how many were HOT (the new row version on the same page and no indexed column
     * changed, so no index gets an entry), and the table's size.
     */
    private static String updates(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT n_tup_upd, n_tup_hot_upd, pg_relation_size(relid),"
                        + " pg_indexes_size(relid) FROM pg_stat_user_tables WHERE relname = 'profile'"
                        + " AND schemaname = current_schema()")) {
            rs.next();
            return String.format(Locale.ROOT, "Store: %,d row updates, %.0f %% of them HOT (no index entries);"
                    + " table %,d MB, indexes %,d MB at the end.", rs.getLong(1),
                    100.0 * rs.getLong(2) / Math.max(1, rs.getLong(1)), rs.getLong(3) >> 20, rs.getLong(4) >> 20);
        }
    }

    /**
     * The command that runs {@code main} from this bench's own executable jar in another JVM, with {@code jvmOptions};
     * the caller appends the program's arguments.
     */
    private static List<String> benchJvm(Class<?> main, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dloader.main=" + main.getName(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        return command;
    }

    /** The cores' split between writers and readers ({@code -Dbench.cores=split}), or null: all share both. */
    private static CoreSplit split;

    /** The read API's process when it runs apart from the applier ({@code -Dbench.read-api=replica}), or null. */
    private static Process readApi;

    /** CPU-seconds so far of what serves reads: this JVM, the read replica if there is one, and PostgreSQL. */
    private static double serverCpu() {
        return CpuClock.self() + (readApi == null ? 0 : CpuClock.process(readApi.pid())) + CpuClock.postgres();
    }

    /** Waits until the read replica answers a read of {@code userId}. */
    private static void awaitReadApi(String token, String userId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try (LeanHttp http = new LeanHttp("127.0.0.1", PORT)) {
                if (http.get("/api/v1/profiles/" + userId, "Bearer " + token).status() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            if (!readApi.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the read replica did not come up; see its log");
            }
            Thread.sleep(500);
        }
    }

    private static void vacuum(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE profile");
        }
    }

    /** Writes the profiles straight into the store with COPY, as the applier would have stored them. */
    private static long seed(String url, List<String> ids) throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            StringBuilder csv = new StringBuilder();
            long copied = 0;
            String columns = "user_id, present, present_ts, present_eid, display_name, display_name_ts, "
                    + "display_name_eid, mail, mail_ts, mail_eid, user_principal_name, user_principal_name_ts, "
                    + "user_principal_name_eid, department, department_ts, department_eid, job_title, job_title_ts, "
                    + "job_title_eid, last_observed_ts, last_event_id, last_source, last_applied_at, last_delay_ms";
            for (int i = 0; i < ids.size(); i++) {
                String first = firstName(i);
                String last = lastName(i);
                String login = (first + "." + last).toLowerCase(Locale.ROOT).replace(" ", "") + "." + i;
                long ts = 1_700_000_000_000_000L + i;
                String eid = "seed-" + i;
                csv.append(ids.get(i)).append(",t,").append(ts).append(',').append(eid).append(',')
                        .append(first).append(' ').append(last).append(',').append(ts).append(',').append(eid)
                        .append(',').append(login).append("@contoso.com,").append(ts).append(',').append(eid)
                        .append(',').append(login).append("@contoso.onmicrosoft.com,").append(ts).append(',')
                        .append(eid).append(',').append(DEPARTMENTS[i % DEPARTMENTS.length]).append(',').append(ts)
                        .append(',').append(eid).append(",Engineer ").append(i % 40).append(',').append(ts)
                        .append(',').append(eid).append(',').append(ts).append(',').append(eid)
                        .append(",graph,2026-01-01T00:00:00Z,0\n");
                if (csv.length() > 8_000_000 || i == ids.size() - 1) {
                    copied += connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY profile (" + columns
                            + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
                    csv.setLength(0);
                }
            }
            try (var statement = connection.createStatement()) {
                // -Dbench.sql="...;...": statements run on the seeded store (e.g. an index's storage parameters)
                for (String sql : System.getProperty("bench.sql", "").split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql.trim());
                    }
                }
                // -Dbench.drop-indexes=a,b: measure the store without some indexes
                for (String index : System.getProperty("bench.drop-indexes", "").split(",")) {
                    if (!index.isBlank()) {
                        statement.execute("DROP INDEX " + index.trim());
                    }
                }
                statement.execute("VACUUM ANALYZE profile");
            }
            return copied;
        }
    }

    private static String[] syllables() {
        String consonants = "bcdfghjklmnprstvwxyz";
        String vowels = "aeiouy";
        String[] out = new String[consonants.length() * vowels.length()];
        for (int c = 0; c < consonants.length(); c++) {
            for (int v = 0; v < vowels.length(); v++) {
                out[c * vowels.length() + v] = "" + consonants.charAt(c) + vowels.charAt(v);
            }
        }
        return out;
    }

    /**
     * A directory's spread of names: a few real first names and surnames, the rest made of two (first) or three
     * (surname) syllables: some 14,000 first names and 1.7 million surnames, so that a fragment of a name matches a
     * few hundred people, not a sixtieth of the directory.
     */
    static String firstName(int i) {
        long h = Long.rotateLeft(i * 0x9E3779B97F4A7C15L, 17) & Long.MAX_VALUE;
        if (h % 20 == 0) {
            return FIRST[(int) (h / 20 % FIRST.length)];
        }
        int n = SYLLABLES.length;
        return capital(SYLLABLES[(int) (h % n)] + SYLLABLES[(int) (h / n % n)]);
    }

    static String lastName(int i) {
        long h = Long.rotateLeft(i * 0xC2B2AE3D27D4EB4FL, 29) & Long.MAX_VALUE;
        if (h % 50 == 0) {
            return LAST[(int) (h / 50 % LAST.length)];
        }
        int n = SYLLABLES.length;
        return capital(SYLLABLES[(int) (h % n)] + SYLLABLES[(int) (h / n % n)] + SYLLABLES[(int) (h / n / n % n)]);
    }

    private static String capital(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Backlogs of directory changes put on the topic while the applier is paused, then drained. */
    private static final class Drains {
        private final KafkaProducer<String, byte[]> producer;
        private final List<String> ids;
        private final int size;
        private final MessageListenerContainer container;
        private final java.util.function.LongSupplier applied;
        private final Random random = new Random(5);
        private final String url;
        private int round;
        /** Over all drains: checkpoints, those PostgreSQL started because of WAL volume, and bytes of WAL. */
        long checkpoints;
        long requestedCheckpoints;
        long walBytes;

        Drains(String url, String bootstrap, List<String> ids, int size, MessageListenerContainer container,
                java.util.function.LongSupplier applied) {
            this.url = url;
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
            this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            this.ids = ids;
            this.size = size;
            this.container = container;
            this.applied = applied;
        }

        /** Changes per second of one drain. */
        double drain() throws InterruptedException {
            container.pause();
            // a pause takes effect at the consumers' next poll: wait for it, or changes sent meanwhile would be
            // applied before the clock starts
            long pauseDeadline = System.nanoTime() + Throughput.LIMIT.toNanos();
            while (!container.isContainerPaused()) {
                if (System.nanoTime() > pauseDeadline) {
                    throw new IllegalStateException("the applier's consumers did not pause within " + Throughput.LIMIT);
                }
                Thread.sleep(10);
            }
            long before = applied.getAsLong();
            List<UserChanged> changes = ChangeSet.changes(ids, size, random,
                    Instant.parse("2026-02-01T00:00:00Z").plusSeconds(3600L * round), "read-bench-" + round + "-",
                    false);
            round++;
            Exception failure = ChangeSet.send(producer, changes);
            if (failure != null) {
                throw new IllegalStateException("loading the backlog failed", failure);
            }
            Thread.sleep(2_000);
            long[] server = server();
            double pgCpu = CpuClock.postgres();
            double jvmCpu = CpuClock.self();
            container.resume();
            double rate = Throughput.fromNow(() -> applied.getAsLong() - before, size);
            pgCpu = CpuClock.postgres() - pgCpu;
            jvmCpu = CpuClock.self() - jvmCpu;
            long[] after = server();
            checkpoints += after[0] - server[0];
            requestedCheckpoints += after[1] - server[1];
            walBytes += after[2] - server[2];
            System.out.printf(Locale.ROOT, "drain %d: %,.0f changes/s (checkpoints %d, of them requested %d; WAL %,d MB)%n",
                    round, rate, after[0] - server[0], after[1] - server[1], (after[2] - server[2]) >> 20);
            System.out.printf(Locale.ROOT, "  CPU per change: PostgreSQL %.0f us, this JVM %.0f us%n", pgCpu * 1e6 / size,
                    jvmCpu * 1e6 / size);
            System.out.printf(Locale.ROOT, "  per change: blocks read %.2f, hit %.2f; rows updated %.2f, inserted %.2f;"
                    + " commits %d, rollbacks %d; WAL records %.2f, full-page images %.2f; buffers written by"
                    + " backends %.2f, by the writer %.2f, by checkpoints %.2f%n",
                    (double) (after[3] - server[3]) / size, (double) (after[4] - server[4]) / size,
                    (double) (after[5] - server[5]) / size, (double) (after[6] - server[6]) / size,
                    after[7] - server[7], after[8] - server[8], (double) (after[9] - server[9]) / size,
                    (double) (after[10] - server[10]) / size, (double) (after[11] - server[11]) / size,
                    (double) (after[12] - server[12]) / size, (double) (after[13] - server[13]) / size);
            return rate;
        }

        /** PostgreSQL's checkpoints so far (all, and requested by WAL volume) and its WAL position in bytes. */
        private long[] server() {
            try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement();
                    var rs = statement.executeQuery("SELECT checkpoints_timed + checkpoints_req, checkpoints_req,"
                            + " pg_current_wal_lsn() - '0/0', d.blks_read, d.blks_hit, d.tup_updated, d.tup_inserted,"
                            + " d.xact_commit, d.xact_rollback, w.wal_records, w.wal_fpi, b.buffers_backend,"
                            + " b.buffers_clean, b.buffers_checkpoint FROM pg_stat_bgwriter b, pg_stat_wal w,"
                            + " pg_stat_database d WHERE d.datname = current_database()")) {
                rs.next();
                long[] values = new long[14];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getLong(i + 1);
                }
                return values;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read PostgreSQL's checkpoint statistics", e);
            }
        }
    }

    /** An open-loop load of {@code rate} read requests per second from 16 client threads. */
    private static final class ReadLoad {
        private final String token;
        private final List<String> ids;
        private final int rate;
        /** One kept-alive connection per client thread. */
        private final ThreadLocal<LeanHttp> http = ThreadLocal.withInitial(() -> new LeanHttp("127.0.0.1", PORT));
        /** CPU the client threads spent sending and reading (nanoseconds): the bench's own cost, not the server's. */
        final AtomicLong clientCpu = new AtomicLong();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService clients = Executors.newFixedThreadPool(16);
        private final Map<String, ConcurrentLinkedQueue<Double>> millis = new ConcurrentHashMap<>();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final Random random = new Random(3);
        private long started;
        private long stopped;

        /** Only one kind of read ({@code 0} profile, {@code 50} search, {@code 80} sync-status), or -1 for the mix. */
        private final int only;

        ReadLoad(String token, List<String> ids, int rate) {
            this(token, ids, rate, -1);
        }

        ReadLoad(String token, List<String> ids, int rate, int only) {
            this.only = only;
            this.token = token;
            this.ids = ids;
            this.rate = rate;
        }

        /**
         * The load generator in a JVM of its own ({@link #main}), so that neither its CPU nor the pauses of the JVM
         * that runs the applier land in what it measures: a request in flight while the applier's JVM stops for a
         * collection is slow, a request whose client is stopped too would be slow for the client's sake.
         */
        private Process process;

        void startProcess(int profiles) throws java.io.IOException {
            List<String> command = benchJvm(ReadBench.class, "-Xmx768m", "-XX:+UseSerialGC");
            command.addAll(List.of("--client", token, String.valueOf(profiles), String.valueOf(rate),
                    String.valueOf(only)));
            process = new ProcessBuilder(split == null ? command : CoreSplit.onReadersCore(command)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            if (!"started".equals(line)) {
                throw new IllegalStateException("the read client did not start: " + line);
            }
        }

        /** Stops the client process and takes over what it measured. */
        void stopProcess() throws Exception {
            process.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] parts = line.split("\t", 2);
                switch (parts[0]) {
                    case "sent" -> sent.set(Long.parseLong(parts[1]));
                    case "failures" -> failures.set(Long.parseLong(parts[1]));
                    case "client-cpu" -> clientCpu.set(Long.parseLong(parts[1]));
                    case "elapsed" -> {
                        started = 0;
                        stopped = Long.parseLong(parts[1]);
                    }
                    case "millis" -> {
                        String[] kindAndValues = parts[1].split("\t");
                        var values = millis.computeIfAbsent(kindAndValues[0], k -> new ConcurrentLinkedQueue<>());
                        if (kindAndValues.length > 1) {
                            for (String value : kindAndValues[1].split(",")) {
                                values.add(Double.parseDouble(value));
                            }
                        }
                    }
                    default -> System.out.println("read client: " + line);
                }
            }
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the read client failed: exit " + process.exitValue());
            }
        }

        /** In the client's JVM: runs the load until a line arrives on stdin, then prints what it measured. */
        static void runClient(String[] args) throws Exception {
            int profiles = Integer.parseInt(args[2]);
            ReadLoad load = new ReadLoad(args[1], ChangeSet.ids(profiles, new Random(11)), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            load.start();
            System.out.println("started");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            load.stop();
            StringBuilder out = new StringBuilder();
            out.append("sent\t").append(load.sent.get()).append('\n');
            out.append("failures\t").append(load.failures.get()).append('\n');
            out.append("client-cpu\t").append(load.clientCpu.get()).append('\n');
            out.append("elapsed\t").append(load.stopped - load.started).append('\n');
            load.millis.forEach((kind, values) -> {
                out.append("millis\t").append(kind).append('\t');
                StringBuilder joined = new StringBuilder();
                values.forEach(v -> joined.append(joined.isEmpty() ? "" : ",").append(v));
                out.append(joined).append('\n');
            });
            System.out.print(out);
            System.out.flush();
            System.exit(0);
        }

        /** Adds another load's requests and time to this one's. */
        void add(ReadLoad other) {
            other.millis.forEach((kind, values) -> millis.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>())
                    .addAll(values));
            failures.addAndGet(other.failures.get());
            sent.addAndGet(other.sent.get());
            clientCpu.addAndGet(other.clientCpu.get());
            elapsed += (other.stopped - other.started);
        }

        private long elapsed;

        void start() {
            started = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> {
                int kind = only >= 0 ? only : random.nextInt(100);
                String user = ids.get(random.nextInt(ids.size()));
                String term = term(random);
                boolean nextPage = random.nextInt(5) == 0;
                sent.incrementAndGet();
                clients.submit(() -> request(kind, user, term, nextPage));
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        }

        void stop() throws InterruptedException {
            ticker.shutdownNow();
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            stopped = System.nanoTime();
        }

        /** What people type to find somebody: 4 to 6 letters of a colleague's first name or surname. */
        private String term(Random random) {
            int who = random.nextInt(ids.size());
            String name = random.nextInt(3) == 0 ? firstName(who) : lastName(who);
            String lower = name.toLowerCase(Locale.ROOT);
            int length = Math.min(lower.length(), 4 + random.nextInt(3));
            int from = random.nextInt(lower.length() - length + 1);
            return lower.substring(from, from + length);
        }

        private void request(int kind, String user, String term, boolean nextPage) {
            try {
                if (kind < 50) {
                    timed("profile by id", "/api/v1/profiles/" + user);
                } else if (kind < 80) {
                    String first = timed("search", "/api/v1/profiles?size=20&query="
                            + URLEncoder.encode(term, StandardCharsets.UTF_8));
                    int at = first.indexOf("\"next\":\"");
                    if (nextPage && at >= 0) {
                        String cursor = first.substring(at + 8, first.indexOf('"', at + 8));
                        timed("search, next page", "/api/v1/profiles?size=20&query="
                                + URLEncoder.encode(term, StandardCharsets.UTF_8) + "&cursor=" + cursor);
                    }
                } else {
                    timed("sync-status", "/api/v1/profiles/" + user + "/sync-status");
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        }

        private String timed(String kind, String path) throws Exception {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            LeanHttp.Response response = http.get().get(path, "Bearer " + token);
            double ms = (System.nanoTime() - start) / 1e6;
            clientCpu.addAndGet(threads.getCurrentThreadCpuTime() - cpu);
            if (response.status() != 200) {
                failures.incrementAndGet();
                System.out.println(kind + " answered " + response.status() + ": " + response.body());
            }
            millis.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(ms);
            return response.body();
        }
    }

    private static String report(int profiles, int rate, double minutes, int backlog, List<Double> quiet,
            List<Double> loaded, ReadLoad load) throws java.sql.SQLException {
        double without = median(quiet);
        double with = median(loaded);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Read API under write load (%s): %,d profiles in PostgreSQL 15 on 127.0.0.1 (%s), the applier (4 partitions, \
                4 threads) and the broker in one JVM, %s, the load generator in a JVM of its own, %s.

                | applier, drains of %,d directory changes | changes/s (median) | drains |
                |---|---:|---:|
                | no reads (alternating with the next line) | %,.0f | %s |
                | %d read requests/s for %.0f min | %,.0f | %s |
                | **cost of the reads** | **%.1f %%** | |

                Reads sent: %,d in %.0f s (%.0f/s); failed: %d. The bench's HTTP client (one kept-alive connection \
                per client thread) spent %.2f ms of CPU per request of it.

                | read | requests | p50 ms | p99 ms | max ms |
                |---|---:|---:|---:|---:|
                """, java.time.LocalDate.now(), profiles, BenchDatabase.serverSettings(),
                readApi == null ? "the read API in the applier's JVM"
                        : "the read API in a read replica (a JVM of its own, profile-sync.applier.apply=false)",
                split != null ? "2 cores split: the applier's JVM and PostgreSQL on core 0; the read replica, the"
                        + " PostgreSQL backends of its connections and the load generator on core 1"
                        : Runtime.getRuntime().availableProcessors() + " cores shared", backlog, without,
                list(quiet), rate, minutes, with, list(loaded), 100 * (without - with) / without, load.sent.get(),
                load.elapsed / 1e9, load.sent.get() / (load.elapsed / 1e9),
                load.failures.get(), load.clientCpu.get() / 1e6 / Math.max(1, load.sent.get())));
        for (String kind : List.of("profile by id", "search", "search, next page", "sync-status")) {
            List<Double> values = new ArrayList<>(load.millis.getOrDefault(kind, new ConcurrentLinkedQueue<>()));
            if (values.isEmpty()) {
                continue;
            }
            Collections.sort(values);
            md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f |%n", kind, values.size(),
                    values.get(values.size() / 2), values.get((int) Math.min(values.size() - 1,
                            Math.ceil(values.size() * 0.99) - 1)), values.get(values.size() - 1)));
        }
        return md.toString();
    }

    private static String list(List<Double> rates) {
        return String.join(", ", rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
