package dev.profilesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.profilesync.events.Topics;
import dev.profilesync.events.ServiceAcls;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;
import dev.profilesync.local.LocalSystem;
import dev.profilesync.simulator.Tenant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/run-directory-delay}: directory change → profile store, end to end. Each change is made in the
 * simulated tenant with the time it was made in it ({@code jobTitle = "Stamp <epoch µs>"}); from there it goes
 * through the change notification (the simulator batches them every 250 ms, as Graph batches), the delta round of
 * directory-sync, Kafka and the applier into PostgreSQL. A change counts as applied when the profile's committed
 * snapshot on {@code profile.snapshots} shows it or a later change of the same user. Sustained rates of 1,000 and
 * 5,000 changes/s for {@code minutes} each, on a 100,000-user tenant; writes {@code directory-delay.md}.
 */
public final class DirectoryDelayBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STAMP = "Stamp ";

    private DirectoryDelayBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int[] rates = Arrays.stream((args.length > 3 ? args[3] : "1000,5000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        // photo-sync's bulk lane (photos a second, 0 = no limit): it works through the full load's photos during the
        // runs, on the same cores
        String bulkRate = args.length > 4 ? args[4] : "20";
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Directory change → profile store, end to end (%s): %,d-user simulated tenant, PostgreSQL 15 on \
                127.0.0.1, the whole system (in-process broker, simulator, change-ingest, directory-sync, applier, \
                photo-sync, monitor) and this bench in one JVM on %d cores. The clock starts when the change is made \
                in the simulator and stops when the profile's committed snapshot shows it; in between: the change \
                notification (batched every 250 ms), directory-sync's delta round, Kafka, the applier and PostgreSQL. \
                photo-sync works through the full load's photos meanwhile, its bulk lane held to %s.

                | rate (changes/s, sustained) | duration | changes | p50 | p99 | max | not applied |
                |---:|---:|---:|---:|---:|---:|---:|
                """, java.time.LocalDate.now(), users, Runtime.getRuntime().availableProcessors(),
                bulkRate.equals("0") ? "no rate" : bulkRate + " photos a second"));
        try (BenchDatabase db = new BenchDatabase()) {
            Path data = Files.createTempDirectory("delay-bench");
            LocalSettings settings = new LocalSettings(data, 39192, 39193, 38281, 38282, 38283, 38284, 38285,
                    LocalSettings.ManagementPorts.from(38381), db.url(), "bench-intake-key-0123456789abcdef", 12,
                    38290, users, 0);
            try (LocalSystem system = LocalSystem.start(settings, true, LocalKafka::start,
                    service -> service == ServiceAcls.Service.PHOTO_SYNC
                            ? List.of("--profile-sync.photo.bulk-rate=" + bulkRate) : List.of())) {
                Tenant tenant = system.simulator().tenant();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    ids.add(tenant.user(i).get("id").toString());
                }
                try (Observer observer = new Observer(settings.bootstrapServers())) {
                    // the full load is done when every user has its snapshot
                    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                    while (observer.users() < users && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                    }
                    System.out.printf(Locale.ROOT, "full load seen: %,d users%n", observer.users());
                    run(tenant, ids, observer, 500, 0.5);
                    observer.reset();
                    StringBuilder stages = new StringBuilder();
                    for (int rate : rates) {
                        Result result = run(tenant, ids, observer, rate, minutes);
                        md.append(String.format(Locale.ROOT, "| %,d | %.0f min | %,d | %.2f s | %.2f s | %.2f s | %d |%n",
                                rate, minutes, result.changes, result.p50, result.p99, result.max, result.missing));
                        stages.append(result.stages());
                        System.out.println(md);
                        System.out.println(stages);
                        observer.reset();
                    }
                    md.append("\nWhere the time goes: seconds from the change to each stage (record timestamps are "
                            + "the producers' clocks, the same machine's):\n\n| rate | stage | p50 | p99 | max |\n"
                            + "|---:|---|---:|---:|---:|\n").append(stages);
                }
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("directory-delay.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    record Result(long changes, double p50, double p99, double max, long missing, String stages) {
    }

    /** Makes {@code rate} stamped changes per second for {@code minutes}, then waits for them to be applied. */
    private static Result run(Tenant tenant, List<String> ids, Observer observer, int rate, double minutes)
            throws InterruptedException {
        Random random = new Random(rate);
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        long made = 0;
        while (System.nanoTime() < end) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            for (; made < due; made++) {
                String id = ids.get(random.nextInt(ids.size()));
                long micros = micros();
                observer.made(id, micros);
                tenant.update(id, Map.of("jobTitle", STAMP + micros));
            }
            Thread.sleep(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (observer.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double[] delays = observer.delays();
        Arrays.sort(delays);
        String stages = "";
        String[] names = {"published by directory-sync (the user-change record's timestamp)",
            "stored by the applier (its snapshot record's timestamp)", "visible (snapshot committed and read)"};
        double[][] all = {observer.stage(observer.published), observer.stage(observer.sent), delays};
        for (int i = 0; i < names.length; i++) {
            Arrays.sort(all[i]);
            stages += String.format(Locale.ROOT, "| %,d/s | %s | %.2f s | %.2f s | %.2f s |%n", rate, names[i],
                    at(all[i], 0.5), at(all[i], 0.99), at(all[i], 1.0));
        }
        return new Result(made, at(delays, 0.5), at(delays, 0.99), delays.length == 0 ? 0 : delays[delays.length - 1],
                observer.pending(), stages);
    }

    private static double at(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
    }

    private static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Follows {@code profile.snapshots}: each stamped change is done once a snapshot shows it or a later one. */
    private static final class Observer implements AutoCloseable {
        private final Map<String, ArrayDeque<Long>> pending = new ConcurrentHashMap<>();
        private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicLong outstanding = new AtomicLong();
        private final List<Double> delays = new ArrayList<>();
        /** Seconds from the stamp to the user-change record's and to the snapshot record's timestamps. */
        final List<Double> published = new ArrayList<>();
        final List<Double> sent = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Observer(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            thread = new Thread(() -> follow(props), "delay-observer");
            thread.setDaemon(true);
            thread.start();
        }

        void made(String user, long micros) {
            pending.computeIfAbsent(user, u -> new ArrayDeque<>());
            ArrayDeque<Long> queue = pending.get(user);
            synchronized (queue) {
                queue.addLast(micros);
            }
            outstanding.incrementAndGet();
        }

        long pending() {
            return outstanding.get();
        }

        int users() {
            return seen.size();
        }

        synchronized double[] delays() {
            return delays.stream().mapToDouble(Double::doubleValue).toArray();
        }

        synchronized void reset() {
            delays.clear();
            published.clear();
            sent.clear();
        }

        synchronized double[] stage(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        private void follow(Properties props) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                while (partitions.isEmpty() && running.get()) {
                    var topics = consumer.listTopics();
                    if (topics.containsKey(Topics.PROFILE_SNAPSHOTS) && topics.containsKey(Topics.USER_CHANGES)) {
                        for (String topic : List.of(Topics.PROFILE_SNAPSHOTS, Topics.USER_CHANGES)) {
                            topics.get(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                                    p.partition())));
                        }
                    }
                    Thread.sleep(200);
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.value() == null) {
                            continue;
                        }
                        if (record.topic().equals(Topics.USER_CHANGES)) {
                            long stamp = stampIn(record.value());
                            if (stamp > 0) {
                                synchronized (this) {
                                    published.add((record.timestamp() * 1000 - stamp) / 1e6);
                                }
                            }
                        } else {
                            observe(record.key(), JSON.readTree(record.value()).path("jobTitle").asString(""),
                                    record.timestamp());
                        }
                    }
                }
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                // closing
            }
        }

        /** The stamp (microseconds) in an event's bytes, or 0 when it has none. */
        private static long stampIn(byte[] value) {
            String text = new String(value, java.nio.charset.StandardCharsets.UTF_8);
            int at = text.indexOf(STAMP);
            if (at < 0) {
                return 0;
            }
            int from = at + STAMP.length();
            int to = from;
            while (to < text.length() && Character.isDigit(text.charAt(to))) {
                to++;
            }
            return to == from ? 0 : Long.parseLong(text.substring(from, to));
        }

        private void observe(String user, String jobTitle, long sentMillis) {
            seen.add(user);
            if (!jobTitle.startsWith(STAMP)) {
                return;
            }
            long stamp = Long.parseLong(jobTitle.substring(STAMP.length()));
            ArrayDeque<Long> queue = pending.get(user);
            if (queue == null) {
                return;
            }
            long now = micros();
            synchronized (queue) {
                while (!queue.isEmpty() && queue.peekFirst() <= stamp) {
                    long made = queue.pollFirst();
                    outstanding.decrementAndGet();
                    synchronized (this) {
                        delays.add((now - made) / 1e6);
                        sent.add((sentMillis * 1000 - made) / 1e6);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
