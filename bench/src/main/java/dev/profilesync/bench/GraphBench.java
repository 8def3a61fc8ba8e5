package dev.profilesync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

import dev.profilesync.local.LocalSettings;
import dev.profilesync.local.LocalSystem;

/**
 * {@code bench/run-graph}: initial full load of a simulated tenant into PostgreSQL through the whole product (Graph
 * SDK delta pages → change-ingest → Kafka → applier), then a steady 1,000 changes/s in the tenant and the source-to-
 * store delay they see. Writes {@code graph.md} into the results directory.
 */
public final class GraphBench {

    private GraphBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        String[] sizes = (args.length > 1 ? args[1] : "100000,1000000").split(",");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Graph ingest benchmarks, PostgreSQL on "
                + "127.0.0.1, %d cores (%s).%n%n| tenant users | full load | users/s |%n|---:|---:|---:|%n",
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
        String steady = "";
        for (String size : sizes) {
            int users = Integer.parseInt(size.trim());
            try (BenchDatabase db = new BenchDatabase()) {
                Path data = Files.createTempDirectory("graph-bench");
                LocalSettings base = LocalSettings.defaults();
                LocalSettings settings = new LocalSettings(data, 39092, 39093, 38081, 38082, 38083, 38084, 38085,
                        LocalSettings.ManagementPorts.from(38181),
                        db.url(), "bench-intake-key-0123456789abcdef", 12, 38090, users, 0);
                long start = System.nanoTime();
                try (LocalSystem system = LocalSystem.start(settings)) {
                    while (applied(settings) < users) {
                        Thread.sleep(200);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    md.append(String.format(Locale.ROOT, "| %,d | %.1f min | %,.0f |%n", users, seconds / 60,
                            users / seconds));
                    System.out.println(md);
                    if (steady.isEmpty()) {
                        steady = steadyState(system, settings);
                    }
                }
            }
        }
        md.append("\n").append(steady);
        Files.createDirectories(out);
        Files.writeString(out.resolve("graph.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    /** 1,000 changes/s for a minute; the delay histogram's p50 and p99 over that minute. */
    private static String steadyState(LocalSystem system, LocalSettings settings) throws Exception {
        TreeMap<Double, Double> before = buckets(settings);
        system.simulator().changesPerSecond(1000);
        Thread.sleep(60_000);
        system.simulator().changesPerSecond(0);
        Thread.sleep(5_000);
        TreeMap<Double, Double> after = buckets(settings);
        TreeMap<Double, Double> window = new TreeMap<>();
        after.forEach((le, count) -> window.put(le, count - before.getOrDefault(le, 0.0)));
        double total = window.lastEntry().getValue();
        return String.format(Locale.ROOT, "Steady state, 1,000 changes/s made in the tenant for 60 s (%,.0f changes "
                + "applied): source-to-store delay **p50 ≤ %s s, p99 ≤ %s s** (upper bounds of the histogram "
                + "buckets; the clock starts when change-ingest reads the change from Graph, so the notification and "
                + "the start of the round come on top).%n", total,
                quantile(window, total, 0.5), quantile(window, total, 0.99));
    }

    private static String quantile(TreeMap<Double, Double> cumulative, double total, double q) {
        for (var bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= q * total) {
                return bucket.getKey().isInfinite() ? "+Inf" : String.valueOf(bucket.getKey());
            }
        }
        return "+Inf";
    }

    private static TreeMap<Double, Double> buckets(LocalSettings settings) throws Exception {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : scrape(settings).split("\n")) {
            if (line.startsWith("profile_sync_delay_seconds_bucket{") && line.contains("source=\"graph\"")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
                buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return buckets;
    }

    private static long applied(LocalSettings settings) throws Exception {
        for (String line : scrape(settings).split("\n")) {
            if (line.startsWith("profile_sync_applier_changes_applied_total{") && line.contains("source=\"graph\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static String scrape(LocalSettings settings) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + settings.management().applier() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
