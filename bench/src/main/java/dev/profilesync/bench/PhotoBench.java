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
        ThumbnailRenderer renderer = new ThumbnailRenderer(new ThumbnailRenderer.Limits(16 << 20, 40_000_000, 4));
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Photo benchmarks, %d cores (%s).%n%n",
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
        md.append("| source JPEG | bytes | thumbnails (48, 72, 300) per second, one thread |\n|---|---:|---:|\n");
        for (int side : new int[] {648, 2000}) {
            byte[] jpeg = photoLike(side);
            for (int i = 0; i < 20; i++) {
                renderer.render(jpeg, SIZES);
            }
            int runs = side > 1000 ? 60 : 300;
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                renderer.render(jpeg, SIZES);
            }
            double perSecond = runs / ((System.nanoTime() - start) / 1e9);
            md.append(String.format(Locale.ROOT, "| %d × %d | %,d | %.1f photos/s |%n", side, side, jpeg.length,
                    perSecond));
        }
        md.append("\n").append(endToEnd(40));
        Files.createDirectories(out);
        Files.writeString(out.resolve("photos.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    private static String endToEnd(int samples) throws Exception {
        Path data = Files.createTempDirectory("photo-bench");
        LocalSettings base = LocalSettings.defaults();
        LocalSettings settings = new LocalSettings(data, 29092, 29093, 28081, 28082, 28083, 28084, 28085,
                LocalSettings.ManagementPorts.from(28181), null,
                "bench-intake-key-0123456789abcdef", 4, 28090, 500, 0);
        List<Double> millis = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (LocalSystem system = LocalSystem.start(settings)) {
            // the initial full sync sends one photo-change per new user; measure once that backlog is done
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (photoBacklog(http, settings) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            for (int i = 0; i < 5; i++) {
                sample(http, settings, system, i);
            }
            for (int i = 0; i < samples; i++) {
                millis.add(sample(http, settings, system, i));
            }
        }
        Collections.sort(millis);
        return String.format(Locale.ROOT, "Photo changed → sync requested → new 48 px thumbnail served (embedded "
                + "system, simulator, %d samples after the initial photo backlog and 5 warm-up samples): **p50 %.0f ms, p99 %.0f ms**.%n", samples,
                millis.get(millis.size() / 2), millis.get(Math.min(millis.size() - 1,
                        (int) Math.ceil(millis.size() * 0.99) - 1)));
    }

    /** One photo change, timed from the sync request until the new thumbnail is served. */
    private static double sample(HttpClient http, LocalSettings settings, LocalSystem system, int i) throws Exception {
        String user = system.simulator().tenant().user(1 + (i % 9)).get("id").toString();
        String before = etag(http, settings, user);
        system.simulator().tenant().changePhoto(user, null);
        long start = System.nanoTime();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.ingestPort() + "/api/v1/users/"
                + user + "/photo:sync")).header("X-Api-Key", settings.apiKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        while (etag(http, settings, user).equals(before)) {
            Thread.onSpinWait();
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
