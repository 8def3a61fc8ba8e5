package dev.profilesync.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/**
 * The simulated tenant as an HTTP server on loopback: Graph under {@code /v1.0}, the admin API under
 * {@code /admin}. Start it from tests and benchmarks with {@link #start(Settings)}, or on its own with {@link #main}.
 */
public final class DirectorySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectorySimulator.class);

    /**
     * @param port 0 picks a free port
     * @param users seeded users, 10 to 1,000,000
     * @param pageSize users per delta page
     * @param changesPerSecond rate of the change generator, 0 = off
     * @param tokenTtl how long a delta token stays valid (Graph: 7 days)
     */
    public record Settings(int port, int users, long seed, int pageSize, double changesPerSecond, Duration tokenTtl) {

        public static Settings of(int users) {
            return new Settings(0, users, 42, 200, 0, Duration.ofDays(7));
        }

        public Settings withPort(int newPort) {
            return new Settings(newPort, users, seed, pageSize, changesPerSecond, tokenTtl);
        }

        public Settings withChangesPerSecond(double rate) {
            return new Settings(port, users, seed, pageSize, rate, tokenTtl);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Tenant tenant;
    private final Subscriptions subscriptions;
    private final ChangeGenerator generator;
    private final DeltaQuery delta;
    private final GraphApi graph;
    private final AdminApi admin;

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body waits for
        // the client's delayed ACK, 40 ms on Linux, on every request. Graph answers at once. Read when the JDK's server
        // classes load, so it is set before the first server is made; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private DirectorySimulator(Settings settings) throws IOException {
        if (settings.users() < 1 || settings.users() > 1_000_000) {
            throw new IllegalArgumentException("users must be between 1 and 1,000,000");
        }
        tenant = new Tenant(settings.seed(), settings.users());
        subscriptions = new Subscriptions(tenant);
        generator = new ChangeGenerator(tenant, settings.seed());
        delta = new DeltaQuery(tenant, settings.pageSize(), settings.tokenTtl().toMillis());
        graph = new GraphApi(tenant, delta, subscriptions);
        admin = new AdminApi(tenant, graph, delta, generator);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 128);
        executor = Executors.newFixedThreadPool(16, r -> new Thread(r, "graph-simulator-http"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        generator.rate(settings.changesPerSecond());
    }

    public static DirectorySimulator start(Settings settings) throws IOException {
        return new DirectorySimulator(settings);
    }

    /** Base URL of the Graph surface, e.g. {@code http://127.0.0.1:8090/v1.0}. */
    public String graphUrl() {
        return baseUrl() + "/v1.0";
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Tenant tenant() {
        return tenant;
    }

    public void faults(Faults faults) {
        graph.faults(faults);
    }

    /** Responses so far that were 429, 503 or broken JSON because of injected faults. */
    public long faultsServed() {
        return graph.faultsServed();
    }

    /** Delta page requests served so far per bearer token, that is per client. */
    public Map<String, Long> deltaRequestsByClient() {
        return graph.deltaRequestsByToken();
    }

    /**
     * {@link System#nanoTime()} when any client first asked for a delta page, 0 until then: where a full load starts,
     * for a benchmark that runs the simulator in its own process.
     */
    public long firstDeltaRequestNanos() {
        return graph.firstDeltaRequestNanos();
    }

    public void expireDeltaTokens() {
        delta.expireTokens();
    }

    public void changesPerSecond(double rate) {
        generator.rate(rate);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            Reply reply;
            try {
                if (path.startsWith("/v1.0/")) {
                    JsonNode body = raw.length == 0 ? null : Reply.JSON.readTree(raw);
                    reply = graph.handle(method, URLDecoder.decode(path.substring(5), StandardCharsets.UTF_8), query,
                            exchange.getRequestHeaders().getFirst("Authorization"), body, baseUrl());
                } else if (path.startsWith("/admin/")) {
                    reply = admin.handle(method, path.substring(7), query, raw);
                } else {
                    reply = Reply.error(404, "NotFound", "try /v1.0 or /admin");
                }
            } catch (IllegalArgumentException e) {
                reply = Reply.error(400, "BadRequest", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.error(503, "serviceNotAvailable", "interrupted");
            } catch (RuntimeException e) {
                log.warn("simulator failed on {} {}", method, path, e);
                reply = Reply.error(500, "InternalServerError", String.valueOf(e.getMessage()));
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
            }
        }
        return query;
    }

    @Override
    public void close() {
        generator.close();
        subscriptions.close();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Runs a tenant on its own: {@code --port=8090 --users=5000 --changes-per-second=5}. */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("port", "8090")),
                Integer.parseInt(options.getOrDefault("users", "5000")), 42, 200,
                Double.parseDouble(options.getOrDefault("changes-per-second", "5")), Duration.ofDays(7));
        DirectorySimulator simulator = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        log.info("directory simulator on {} with {} users", simulator.graphUrl(), settings.users());
        List.of(args).forEach(arg -> log.debug("option {}", arg));
    }
}
