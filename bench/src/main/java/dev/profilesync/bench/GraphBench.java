package dev.profilesync.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.springframework.util.FileSystemUtils;

import dev.profilesync.events.ServiceAcls;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;
import dev.profilesync.local.LocalSystem;

/**
 * {@code bench/run-graph}: full loads of a simulated tenant into PostgreSQL through the whole product (Graph SDK delta
 * pages → directory-sync → Kafka → applier), several runs on fresh systems (the spread between runs is a finding of its
 * own), then two photo sweeps of the loaded tenant. Arguments: [results dir] [sizes, e.g. 1000000] [runs]
 * [photo bulk rate, photos a second, 0 = none]. Writes
 * {@code graph.md}. The delay of single changes under load is {@code bench/run-directory-delay}.
 */
public final class GraphBench {

    private GraphBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        String[] sizes = (args.length > 1 ? args[1] : "1000000").split(",");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        // photo-sync's bulk lane rate (photos a second, 0 = no limit): the all-in-one system shares 2 cores
        String bulkRate = args.length > 3 ? args[3] : "0";
        // the bulk lane's pause while the applier is behind (changes; 0 = never): the all-in-one system's by default
        long pause = Long.getLong("bench.photo-pause", LocalSystem.PHOTO_BULK_PAUSE_BACKLOG);
        // ... and while changes arrive faster than this a second (0 = never)
        long inflow = Long.getLong("bench.photo-inflow", LocalSystem.PHOTO_BULK_PAUSE_INFLOW);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Graph full load (%s): a fresh system per run (in-process broker, PostgreSQL 15 on 127.0.0.1 with %s, the \
                simulator, every service in one JVM: %s; %d cores). The clock starts before the services start; \
                "read" is when directory-sync has published every user (200 a delta page, as Graph pages users), \
                "stored" when the applier has stored every user, and "load" is from directory-sync's first delta \
                request to the last user stored (the full load itself, without the services' start-up). "CPU" is \
                what this JVM (every service, the broker, the simulator) and PostgreSQL spent from before the \
                services started to the last user stored, per user. photo-sync runs meanwhile on the same cores and \
                queues one photo per user with a photo; its bulk lane is held to %s and %s.

                | tenant users | run | services started | first delta request | read | stored | load | users/s (load) | CPU per user (JVM + PostgreSQL) | photos done meanwhile |
                |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """, java.time.LocalDate.now(), BenchDatabase.serverSettings(), jvm(), Runtime.getRuntime().availableProcessors(),
                bulkRate.equals("0") ? "no rate (as fast as it renders)" : bulkRate + " photos a second",
                pause == 0 && inflow == 0 ? "never pauses" : String.format(Locale.ROOT,
                        "pauses while the applier has more than %,d changes to apply or they arrive faster than %,d "
                                + "a second (0: never)", pause, inflow)));
        String sweeps = "";
        for (String size : sizes) {
            int users = Integer.parseInt(size.trim());
            for (int run = 1; run <= runs; run++) {
                try (BenchDatabase db = new BenchDatabase()) {
                    Path data = Files.createTempDirectory("graph-bench");
                    LocalSettings settings = new LocalSettings(data, 39092, 39093, 38081, 38082, 38083, 38084, 38085,
                            LocalSettings.ManagementPorts.from(38181),
                            db.url(), "bench-intake-key-0123456789abcdef", 12, 38090, users, 0);
                    double jvmAtStart = CpuClock.self();
                    double postgresAtStart = CpuClock.postgres();
                    long start = System.nanoTime();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> FileSystemUtils.deleteRecursively(data.toFile())));
                    try (LocalSystem system = LocalSystem.start(settings, true, LocalKafka::start,
                            service -> service == ServiceAcls.Service.PHOTO_SYNC ? List.of(
                                    "--profile-sync.photo.bulk-rate=" + bulkRate,
                                    "--profile-sync.photo.bulk-pause.backlog=" + pause,
                                    "--profile-sync.photo.bulk-pause.inflow=" + inflow) : List.of())) {
                        double started = (System.nanoTime() - start) / 1e9;
                        double read = 0;
                        while (counter(settings.management().applier(), "profile_sync_applier_changes_applied_total",
                                "source=\"graph\"") < users) {
                            if (read == 0 && counter(settings.management().directory(),
                                    "profile_sync_graph_users_ingested_total", "") >= users) {
                                read = (System.nanoTime() - start) / 1e9;
                            }
                            // once a second, and only the counter asked for (a scrape of every meter of two services a
                            // second took some 3 % of the JVM's samples)
                            Thread.sleep(1_000);
                        }
                        long end = System.nanoTime();
                        double jvmCpu = CpuClock.self() - jvmAtStart;
                        double postgresCpu = CpuClock.postgres() - postgresAtStart;
                        double seconds = (end - start) / 1e9;
                        double first = (system.simulator().firstDeltaRequestNanos() - start) / 1e9;
                        double load = (end - system.simulator().firstDeltaRequestNanos()) / 1e9;
                        double photos = counter(settings.management().photo(), "photo_sync_photos_total", "");
                        md.append(String.format(Locale.ROOT,
                                "| %,d | %d | %.0f s | %.1f s | %.0f s | %.0f s | **%.0f s** | %,.0f "
                                        + "| %.0f + %.0f µs | %,.0f |%n",
                                users, run, started, first, read == 0 ? seconds : read, seconds, load,
                                users / load, jvmCpu * 1e6 / users, postgresCpu * 1e6 / users, photos));
                        System.out.println(md);
                        if (run == runs && sweeps.isEmpty() && Boolean.parseBoolean(System.getProperty("bench.sweeps", "true"))) {
                            sweeps = sweeps(system, settings, users);
                        }
                    }
                    // each run's broker log and photo store is some 1.7 GB at a million users
                    FileSystemUtils.deleteRecursively(data.toFile());
                }
            }
        }
        md.append("\n").append(sweeps);
        Files.createDirectories(out);
        Files.writeString(out.resolve("graph.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    /**
     * Two photo sweeps of the loaded tenant: the first finds every photo (the full load does not read etags), the
     * second is the hourly one of a tenant where little changed.
     */
    private static String sweeps(LocalSystem system, LocalSettings settings, int users) throws Exception {
        system.stopDirectorySync();
        system.startDirectorySync("--profile-sync.directory.photo-sweep-interval=1s");
        int port = settings.management().directory();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Photo sweeps of the %,d-user tenant (media etags by `$batch` of 20, 4 batches in flight, 1,000 users \
                a transaction), after the full load above, the same system:

                | sweep | users checked | photo changes found | time |
                |---|---:|---:|---:|
                """, users));
        for (int sweep = 1; sweep <= 2; sweep++) {
            double checkedBefore = counter(port, "profile_sync_graph_photo_sweep_checked_total", "");
            long start = System.nanoTime();
            while (counter(port, "profile_sync_graph_photo_sweeps_total", "") < sweep) {
                Thread.sleep(500);
                if (System.nanoTime() - start > 3_600_000_000_000L) {
                    throw new IllegalStateException("sweep " + sweep + " did not end within an hour");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %.0f s |%n", sweep == 1
                    ? "first (every etag new)" : "second (nothing changed)",
                    counter(port, "profile_sync_graph_photo_sweep_checked_total", "") - checkedBefore,
                    sweep == 1 ? "all" : "–", seconds));
            System.out.println(md);
        }
        return md.toString();
    }

    /**
     * The JVM the system runs in: its version, and the AOT cache it was started with if any (JDK 24 and later:
     * classes loaded and linked, and on JDK 25 method profiles, from a training run; see {@code bench/run-graph}).
     */
    static String jvm() {
        String cache = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-XX:AOTCache=")).findFirst()
                .map(argument -> ", AOT cache " + Path.of(argument.substring("-XX:AOTCache=".length())).getFileName())
                .orElse(", no AOT cache");
        return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + cache + ")";
    }

    /** The sum of a counter's series whose labels contain {@code labels}. */
    private static double counter(int port, String name, String labels) throws Exception {
        double total = 0;
        for (String line : scrape(port, name).split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labels) || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The Prometheus text of one meter ({@code includedNames} takes its name without the counter's {@code _total}). */
    private static String scrape(int port, String name) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/prometheus?includedNames=" + name.replaceFirst("_total$", ""))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
