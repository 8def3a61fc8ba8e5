package dev.profilesync.bench;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * applier (4 partitions, 4 threads) and its read API in this JVM with the broker. The applier drains backlogs of
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
    private static final int PORT = 38481;

    private ReadBench() {
    }

    public static void main(String[] args) throws Exception {
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
            try (ConfigurableApplicationContext applier = ProfileApplierApplication.application().run(
                    "--server.port=" + PORT, "--management.server.port=0",
                    "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + tokens.publicKey(),
                    "--spring.datasource.url=" + db.url(), "--spring.datasource.hikari.maximum-pool-size=5",
                    "--profile-sync.applier.consumers=4", "--profile-sync.applier.topics.partitions=4")) {
                long seeded = seed(db.url(), ids);
                System.out.printf(Locale.ROOT, "seeded %,d profiles%n", seeded);
                MeterRegistry registry = applier.getBean(MeterRegistry.class);
                MessageListenerContainer container = applier.getBean(KafkaListenerEndpointRegistry.class)
                        .getListenerContainer(ConsumerGroups.PROFILE_APPLIER);
                Drains drains = new Drains(kafka.bootstrapServers(), ids, backlog, container, () -> (long) registry
                        .find("profile_sync_applier_changes_applied").counters().stream()
                        .mapToDouble(c -> c.count()).sum());
                drains.drain(); // warm-up
                List<Double> quiet = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    quiet.add(drains.drain());
                }
                ReadLoad load = new ReadLoad(token, ids, rate);
                List<Double> loaded = new ArrayList<>();
                load.start();
                long end = System.nanoTime() + (long) (minutes * 60e9);
                while (System.nanoTime() < end) {
                    loaded.add(drains.drain());
                }
                load.stop();
                for (int i = 0; i < 2; i++) {
                    quiet.add(drains.drain());
                }
                String md = report(profiles, rate, minutes, backlog, quiet, loaded, load);
                Files.createDirectories(out);
                Files.writeString(out.resolve("reads.md"), md);
                System.out.println(md);
            }
        }
        System.exit(0);
    }

    /** Writes the profiles straight into the store with COPY, as the applier would have stored them. */
    private static long seed(String url, List<String> ids) throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            StringBuilder csv = new StringBuilder();
            long copied = 0;
            String columns = "user_id, present, present_ts, present_eid, display_name, display_name_ts, "
                    + "display_name_eid, mail, mail_ts, mail_eid, user_principal_name, user_principal_name_ts, "
                    + "user_principal_name_eid, department, department_ts, department_eid, job_title, job_title_ts, "
                    + "job_title_eid, last_event_id, last_source, last_applied_at, last_delay_ms";
            for (int i = 0; i < ids.size(); i++) {
                String first = FIRST[i % FIRST.length];
                String last = LAST[(i / FIRST.length) % LAST.length];
                String login = (first + "." + last).toLowerCase(Locale.ROOT).replace(" ", "") + "." + i;
                long ts = 1_700_000_000_000_000L + i;
                String eid = "seed-" + i;
                csv.append(ids.get(i)).append(",t,").append(ts).append(',').append(eid).append(',')
                        .append(first).append(' ').append(last).append(',').append(ts).append(',').append(eid)
                        .append(',').append(login).append("@contoso.com,").append(ts).append(',').append(eid)
                        .append(',').append(login).append("@contoso.onmicrosoft.com,").append(ts).append(',')
                        .append(eid).append(',').append(DEPARTMENTS[i % DEPARTMENTS.length]).append(',').append(ts)
                        .append(',').append(eid).append(",Engineer ").append(i % 40).append(',').append(ts)
                        .append(',').append(eid).append(',').append(eid).append(",graph,2026-01-01T00:00:00Z,0\n");
                if (csv.length() > 8_000_000 || i == ids.size() - 1) {
                    copied += connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY profile (" + columns
                            + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
                    csv.setLength(0);
                }
            }
            try (var statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE profile");
            }
            return copied;
        }
    }

    /** Backlogs of directory changes put on the topic while the applier is paused, then drained. */
    private static final class Drains {
        private final KafkaProducer<String, byte[]> producer;
        private final List<String> ids;
        private final int size;
        private final MessageListenerContainer container;
        private final java.util.function.LongSupplier applied;
        private final Random random = new Random(5);
        private int round;

        Drains(String bootstrap, List<String> ids, int size, MessageListenerContainer container,
                java.util.function.LongSupplier applied) {
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
            container.resume();
            double rate = Throughput.measure(() -> applied.getAsLong() - before, size);
            System.out.printf(Locale.ROOT, "drain %d: %,.0f changes/s%n", round, rate);
            return rate;
        }
    }

    /** An open-loop load of {@code rate} read requests per second from 16 client threads. */
    private static final class ReadLoad {
        private final String token;
        private final List<String> ids;
        private final int rate;
        private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService clients = Executors.newFixedThreadPool(16);
        private final Map<String, ConcurrentLinkedQueue<Double>> millis = new ConcurrentHashMap<>();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final Random random = new Random(3);
        private long started;
        private long stopped;

        ReadLoad(String token, List<String> ids, int rate) {
            this.token = token;
            this.ids = ids;
            this.rate = rate;
        }

        void start() {
            started = System.nanoTime();
            ticker.scheduleAtFixedRate(() -> {
                int kind = random.nextInt(100);
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

        private static String term(Random random) {
            String name = random.nextBoolean() ? LAST[random.nextInt(LAST.length)] : FIRST[random.nextInt(FIRST.length)];
            String lower = name.toLowerCase(Locale.ROOT);
            int length = Math.min(lower.length(), 3 + random.nextInt(3));
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
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT
                    + path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                failures.incrementAndGet();
                System.out.println(kind + " answered " + response.statusCode() + ": " + response.body());
            }
            millis.computeIfAbsent(kind, k -> new ConcurrentLinkedQueue<>()).add(ms);
            return response.body();
        }
    }

    private static String report(int profiles, int rate, double minutes, int backlog, List<Double> quiet,
            List<Double> loaded, ReadLoad load) {
        double without = median(quiet);
        double with = median(loaded);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Read API under write load (%s): %,d profiles in PostgreSQL 15 on 127.0.0.1, the applier (4 partitions, \
                4 threads) with its read API, the broker and the load generator in one JVM, %d cores shared.

                | applier, drains of %,d directory changes | changes/s (median) | drains |
                |---|---:|---:|
                | no reads (before and after) | %,.0f | %s |
                | %d read requests/s for %.0f min | %,.0f | %s |
                | **cost of the reads** | **%.1f %%** | |

                Reads sent: %,d in %.0f s (%.0f/s); failed: %d.

                | read | requests | p50 ms | p99 ms | max ms |
                |---|---:|---:|---:|---:|
                """, java.time.LocalDate.now(), profiles, Runtime.getRuntime().availableProcessors(), backlog, without,
                list(quiet), rate, minutes, with, list(loaded), 100 * (without - with) / without, load.sent.get(),
                (load.stopped - load.started) / 1e9, load.sent.get() / ((load.stopped - load.started) / 1e9),
                load.failures.get()));
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
