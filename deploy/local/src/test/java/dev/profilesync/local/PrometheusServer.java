package dev.profilesync.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus server (Debian package {@code prometheus}; {@code .ci/run} installs it) scraping services on
 * loopback every second, with the project's rule files loaded. Without the binary, tests fail in CI and are skipped
 * elsewhere.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path RULES = Path.of("../prometheus/rules").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Path binary(String name) {
        Path binary = Path.of(System.getenv().getOrDefault("PROMETHEUS_HOME", "/usr/bin")).resolve(name);
        if (!Files.isExecutable(binary)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(binary + " is missing; .ci/run installs the prometheus package");
            }
            Assumptions.abort(binary + " is not installed (apt-get install prometheus)");
        }
        return binary;
    }

    static PrometheusServer start(Path workDir, int port, List<Integer> targets) throws IOException {
        Path config = workDir.resolve("prometheus.yml");
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/*.yml
                scrape_configs:
                """.formatted(RULES));
        for (int target : targets) {
            yaml.append("""
                      - job_name: service-%d
                        metrics_path: /actuator/prometheus
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(target, target));
        }
        Files.writeString(config, yaml.toString());
        Process process = new ProcessBuilder(binary("prometheus").toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        return new PrometheusServer(process, port);
    }

    boolean ready() {
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /** The {@code data} of an instant query; throws when Prometheus rejects the expression. */
    JsonNode query(String expression) throws IOException {
        HttpResponse<String> response = get("/api/v1/query?query="
                + URLEncoder.encode(expression, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
            throw new IllegalArgumentException("Prometheus rejected " + expression + ": " + response.body());
        }
        return body.get("data");
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
