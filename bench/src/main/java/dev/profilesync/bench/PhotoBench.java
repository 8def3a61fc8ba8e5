package dev.profilesync.bench;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import dev.profilesync.local.LocalSettings;
import dev.profilesync.local.LocalTokens;
import dev.profilesync.local.LocalSystem;
import dev.profilesync.photo.thumbnail.ThumbnailRenderer;

/**
 * {@code bench/run-photos}: (1) thumbnail rendering throughput on one thread for photo-like 648×648 and 2000×2000
 * JPEGs; (2) photo changed in the simulated tenant → sync requested → new thumbnail served, p50 and p99, through the
 * whole embedded system. Writes {@code photos.md} into the results directory.
 */
public final class PhotoBench {

    private static final Map<String, Integer> SIZES = Map.of("small", 48, "medium", 72, "large", 300);

    private PhotoBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        java.util.Set<String> options = java.util.Set.of(args);
        int users = java.util.Arrays.stream(args).skip(1).filter(a -> a.matches("\\d+")).mapToInt(Integer::parseInt)
                .findFirst().orElse(55_556);
        ThumbnailRenderer renderer = new ThumbnailRenderer(new ThumbnailRenderer.Limits(16 << 20, 40_000_000, 4));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Photo benchmarks, %d cores (%s).%n%n",
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
        md.append("| source JPEG | bytes | thumbnails (48, 72, 300) per second, one thread | two threads |\n"
                + "|---|---:|---:|---:|\n");
        for (int side : options.contains("--lanes-only") ? new int[0] : new int[] {360, 648, 2000}) {
            byte[] jpeg = photoLike(side);
            int runs = side > 1000 ? 100 : 600;
            rate(renderer, jpeg, 1, runs / 5);
            double one = rate(renderer, jpeg, 1, runs);
            double two = rate(renderer, jpeg, 2, runs);
            md.append(String.format(Locale.ROOT, "| %d × %d%s | %,d | %.1f photos/s | %.1f photos/s |%n", side, side,
                    side == 360 ? " (the Graph size photo-sync fetches)" : "", jpeg.length, one, two));
            System.out.println(md);
        }
        if (options.contains("--render-only")) {
            System.out.println(md);
            System.exit(0);
        }
        md.append("\n").append(backlog(users));
        Files.createDirectories(out);
        Files.writeString(out.resolve("photos.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    /** Photos per second rendering {@code runs} photos on {@code threads} threads. */
    private static double rate(ThumbnailRenderer renderer, byte[] jpeg, int threads, int runs) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(runs);
            List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        renderer.render(jpeg, SIZES);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> worker : workers) {
                worker.get();
            }
            return runs / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A fresh embedded system on a tenant of {@code users} users: the full load queues one photo per user with a photo
     * (90 %) on the bulk lane. While that backlog drains, a user changes their photo and asks for a sync every 500 ms;
     * each is timed from the request until the new thumbnail is served. Then 20 more with nothing queued.
     */
    private static String backlog(int users) throws Exception {
        Path data = Files.createTempDirectory("photo-bench");
        LocalSettings settings = new LocalSettings(data, 29092, 29093, 28081, 28082, 28083, 28084, 28085,
                LocalSettings.ManagementPorts.from(28181), null,
                "bench-intake-key-0123456789abcdef", 12, 28090, users, 0);
        List<Double> behind = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        long drainStart;
        long drainEnd;
        double photos;
        String graphLimits;
        try (LocalSystem system = LocalSystem.start(settings)) {
            // wait until bulk photo work has begun, then sample while it drains
            while (processed(http, settings) < 100) {
                Thread.sleep(500);
            }
            drainStart = System.nanoTime();
            double startCount = processed(http, settings);
            int i = 0;
            long next = System.nanoTime();
            long nextCheck = 0;
            // the metrics are scraped once a second: scraping costs the system under test CPU
            while (true) {
                long now = System.nanoTime();
                if (now >= nextCheck) {
                    if (processed(http, settings) >= startCount + expectedPhotos(users) * 0.95
                            && photoBacklog(http, settings) == 0) {
                        break;
                    }
                    nextCheck = now + 1_000_000_000L;
                }
                if (now >= next) {
                    behind.add(sample(http, settings, system, i++));
                    next = now + 500_000_000L;
                }
                Thread.sleep(5);
            }
            drainEnd = System.nanoTime();
            photos = processed(http, settings) - startCount;
            for (int k = 0; k < 20; k++) {
                idle.add(sample(http, settings, system, i++));
                Thread.sleep(200);
            }
            graphLimits = http.send(HttpRequest.newBuilder(URI.create(system.simulator().baseUrl()
                    + "/admin/clients")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        double seconds = (drainEnd - drainStart) / 1e9;
        String most = graphLimits.replaceAll(".*\"photoRequestsMostInFlight\":\\{([^}]*)}.*", "$1")
                .replaceAll("\"[^\"]*\":", "").trim();
        String refused = graphLimits.replaceAll(".*\"photoRequestsRefused\":(\\d+).*", "$1");
        return String.format(Locale.ROOT, """
                Photo lanes on a fresh embedded system (tenant of %,d users, H2, in-process broker, simulator, all \
                services and this bench on the same %d cores; the user full load runs during the first part of the \
                drain):

                | what | figure |
                |---|---:|
                | bulk photos processed while sampling (new users: fetch, validate, 3 thumbnails, store, announce) | %,.0f |
                | bulk drain rate | **%.0f photos/s** (%.0f s) |
                | requested sync → new thumbnail served, behind the backlog (%d samples, one per 500 ms): p50 / p99 / max | **%.0f / %.0f / %.0f ms** |
                | the same with nothing queued (20 samples): p50 / p99 | %.0f / %.0f ms |
                | most Graph photo requests in flight per client (Graph allows 4) | %s |
                | photo requests the simulator refused for too many in flight | %s |
                """, users, Runtime.getRuntime().availableProcessors(), photos, photos / seconds, seconds,
                behind.size(), percentile(behind, 0.5), percentile(behind, 0.99), percentile(behind, 1.0),
                percentile(idle, 0.5), percentile(idle, 0.99), most, refused);
    }

    private static int expectedPhotos(int users) {
        return users - (users + 9) / 10;
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1)));
    }

    /** Photo events photo-sync has finished, every outcome. */
    private static double processed(HttpClient http, LocalSettings settings) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.management().photo()
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("photo_sync_photos_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** One photo change, timed from the sync request until the new thumbnail is served. */
    private static double sample(HttpClient http, LocalSettings settings, LocalSystem system, int i) throws Exception {
        // users with a photo (every tenth seeded user has none), spread over the tenant
        int index = 1 + (i * 7919) % (system.simulator().tenant().presentUsers() - 1);
        if (index % 10 == 0) {
            index++;
        }
        String user = system.simulator().tenant().user(index).get("id").toString();
        String before = etag(http, settings, user);
        system.simulator().tenant().changePhoto(user, null);
        long start = System.nanoTime();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.ingestPort() + "/api/v1/users/"
                + user + "/photo:sync")).header("X-Api-Key", settings.apiKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        while (etag(http, settings, user).equals(before)) {
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Records the photo-sync group has not processed yet, from sync-monitor's lag gauge; -1 before it reports. */
    private static long photoBacklog(HttpClient http, LocalSettings settings) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.management().monitor()
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        long backlog = -1;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("profile_sync_lag_records{") && line.contains("group=\"photo-sync\"")) {
                backlog = Math.max(0, backlog) + (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return backlog;
    }

    private static String etag(HttpClient http, LocalSettings settings, String user) throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + settings.photoPort() + "/api/v1/photos/" + user + "/small")).header("Authorization", "Bearer "
                + java.nio.file.Files.readString(settings.dataDir().resolve(LocalTokens.READ_TOKEN)).trim()).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("ETag").orElse("none");
    }

    /** Gradients and noise, so that the JPEG costs what a photograph costs to decode. */
    private static byte[] photoLike(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 150, 120), side, side, new Color(40, 60, 90)));
        g.fillRect(0, 0, side, side);
        g.dispose();
        Random random = new Random(7);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = image.getRGB(x, y);
                int noise = random.nextInt(24) - 12;
                int r = Math.max(0, Math.min(255, ((rgb >> 16) & 0xFF) + noise));
                int gr = Math.max(0, Math.min(255, ((rgb >> 8) & 0xFF) + noise));
                int b = Math.max(0, Math.min(255, (rgb & 0xFF) + noise));
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", bytes);
        return bytes.toByteArray();
    }
}
