package dev.profilesync.bench;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.profilesync.local.LocalSettings;
import dev.profilesync.local.LocalSystem;
import dev.profilesync.local.LocalTokens;

/**
 * {@code bench/run-scim}: SCIM provisioning through the whole embedded system (broker, applier, H2 or PostgreSQL on
 * the same cores): (1) create → visible through the read API, p50 and p99, sequentially; (2) PATCH throughput with
 * several concurrent clients, each PATCH answered only once the applier has stored it (read-your-writes). Writes
 * {@code scim.md} into the results directory.
 */
public final class ScimBench {

    private ScimBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        int creates = 300;
        int clients = 8;
        int seconds = 30;
        Path data = Files.createTempDirectory("scim-bench");
        LocalSettings settings = new LocalSettings(data, 27092, 27093, 27081, 27082, 27083, 27084, 27085,
                LocalSettings.ManagementPorts.from(27181), null, "bench-intake-key-0123456789abcdef", 12, 27090, 0, 0);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "SCIM benchmarks, %d cores (%s): the "
                + "embedded system (broker, applier with H2, read API) and the clients share the cores.%n%n",
                Runtime.getRuntime().availableProcessors(), java.time.LocalDate.now()));
        HttpClient http = HttpClient.newHttpClient();
        try (LocalSystem system = LocalSystem.start(settings)) {
            String token = Files.readString(data.resolve(LocalSystem.SCIM_TOKEN_FILE)).trim();
            String read = Files.readString(data.resolve(LocalTokens.READ_TOKEN)).trim();
            String base = "http://127.0.0.1:" + settings.applierPort();
            List<String> ids = new ArrayList<>();
            List<Double> visible = new ArrayList<>();
            List<Double> answered = new ArrayList<>();
            for (int i = 0; i < creates + 20; i++) {
                long start = System.nanoTime();
                HttpResponse<String> created = http.send(scim(base + "/scim/v2/Users", token).POST(
                        HttpRequest.BodyPublishers.ofString("{\"userName\":\"bench-" + i + "@example.com\","
                                + "\"name\":{\"givenName\":\"Bench\",\"familyName\":\"User " + i + "\"},"
                                + "\"active\":true}")).build(), HttpResponse.BodyHandlers.ofString());
                double answer = (System.nanoTime() - start) / 1e6;
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
                }
                String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1");
                while (http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles/" + id))
                        .header("Authorization", "Bearer " + read).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() != 200) {
                    Thread.onSpinWait();
                }
                if (i >= 20) {
                    visible.add((System.nanoTime() - start) / 1e6);
                    answered.add(answer);
                }
                ids.add(id);
            }
            Collections.sort(visible);
            Collections.sort(answered);
            md.append(String.format(Locale.ROOT, "| measure | p50 | p99 |%n|---|---:|---:|%n"
                    + "| POST /Users answered (waits until stored) | %.1f ms | %.1f ms |%n"
                    + "| POST /Users → profile served by the read API | %.1f ms | %.1f ms |%n%n",
                    percentile(answered, 0.5), percentile(answered, 0.99), percentile(visible, 0.5),
                    percentile(visible, 0.99)));

            AtomicInteger done = new AtomicInteger();
            List<Double> patchMillis = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> workers = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                workers.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        String id = ids.get((client + clients * n++) % ids.size());
                        long start = System.nanoTime();
                        HttpResponse<String> patched = http.send(scim(base + "/scim/v2/Users/" + id, token)
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:"
                                        + "params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Replace\","
                                        + "\"path\":\"title\",\"value\":\"Title " + n + "\"}]}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (patched.statusCode() != 200) {
                            throw new IllegalStateException("PATCH answered " + patched.statusCode() + ": "
                                    + patched.body());
                        }
                        patchMillis.add((System.nanoTime() - start) / 1e6);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            List<Double> sorted = new ArrayList<>(patchMillis);
            Collections.sort(sorted);
            md.append(String.format(Locale.ROOT, "PATCH /Users/{id} (replace title), %d concurrent clients for %d s: "
                    + "**%.0f PATCHes/s**, each answered after the applier stored it: p50 %.1f ms, p99 %.1f ms.%n",
                    clients, seconds, done.get() / elapsed, percentile(sorted, 0.5), percentile(sorted, 0.99)));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("scim.md"), md.toString());
        System.out.println(md);
        System.exit(0);
    }

    private static HttpRequest.Builder scim(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json");
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1));
    }
}
