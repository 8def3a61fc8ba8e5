package dev.profilesync.local.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.profilesync.local.IntakeKey;
import dev.profilesync.local.LocalSystem;
import dev.profilesync.local.LocalTokens;
import dev.profilesync.simulator.DirectorySimulator;

/**
 * The whole product as separate processes on one machine: a three-node Kafka cluster ({@link KafkaCluster}),
 * PostgreSQL reached by the appliers through a {@link TcpProxy} (so that a test can cut it), the directory simulator in
 * this JVM, and every service as its own JVM, as many instances of each as asked. Services are launched by a
 * {@link Launcher}: from their runnable jars (the bench) or from a class path (the integration test).
 */
public final class ClusterDeployment implements AutoCloseable {

    /** How many instances of what. */
    public record Shape(int ingest, int directory, int appliers, int photo, int monitor, int partitions,
            int simulatorUsers, int applierConsumers) {

        /** The shape: 2 change-ingest, 2 directory-sync, 3 profile-applier, 1 photo-sync, 1 sync-monitor. */
        public static Shape full(int simulatorUsers) {
            return new Shape(2, 2, 3, 1, 1, 12, simulatorUsers, 4);
        }
    }

    /** A service of the product: its module and main class. */
    public enum Service {
        CHANGE_INGEST("change-ingest", "dev.profilesync.ingest.ChangeIngestApplication", "256m"),
        DIRECTORY_SYNC("directory-sync", "dev.profilesync.directory.DirectorySyncApplication", "256m"),
        PROFILE_APPLIER("profile-applier", "dev.profilesync.applier.ProfileApplierApplication", "768m"),
        PHOTO_SYNC("photo-sync", "dev.profilesync.photo.PhotoSyncApplication", "384m"),
        SYNC_MONITOR("sync-monitor", "dev.profilesync.monitor.SyncMonitorApplication", "192m");

        final String module;
        final String mainClass;
        final String heap;

        Service(String module, String mainClass, String heap) {
            this.module = module;
            this.mainClass = mainClass;
            this.heap = heap;
        }
    }

    /** The command that starts a service's JVM, up to its arguments. */
    @FunctionalInterface
    public interface Launcher {
        List<String> command(Service service);

        /** {@code java -jar <module>/target/<module>-<version>-exec.jar}, as a container image runs it. */
        static Launcher fromJars(Path repository, String version) {
            return service -> List.of(java(), "-Xmx" + service.heap, "-XX:+ExitOnOutOfMemoryError", "-jar",
                    repository.resolve(service.module).resolve("target")
                            .resolve(service.module + "-" + version + "-exec.jar").toString());
        }

        /** {@code java -cp <this JVM's class path> <main class>}. */
        static Launcher fromClassPath() {
            return service -> List.of(java(), "-Xmx" + service.heap, "-XX:+ExitOnOutOfMemoryError", "-cp",
                    System.getProperty("java.class.path"), service.mainClass);
        }
    }

    /** One instance of a service: its process and ports. */
    public record Instance(Service service, int number, JvmProcess process, int port, int managementPort) {

        public String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    private final Path directory;
    private final Shape shape;
    private final KafkaCluster kafka;
    private final TcpProxy database;
    private final String schema;
    private final DirectorySimulator simulator;
    private final String apiKey;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ClusterDeployment(Path directory, Shape shape, KafkaCluster kafka, TcpProxy database, String schema,
            DirectorySimulator simulator, String apiKey) {
        this.directory = directory;
        this.shape = shape;
        this.kafka = kafka;
        this.database = database;
        this.schema = schema;
        this.simulator = simulator;
        this.apiKey = apiKey;
    }

    /** Starts everything and returns once every instance reports ready. */
    public static ClusterDeployment start(Path directory, Shape shape, Launcher launcher) throws IOException,
            SQLException {
        Files.createDirectories(directory);
        String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        KafkaCluster kafka = null;
        TcpProxy proxy = null;
        DirectorySimulator simulator = null;
        try {
            kafka = KafkaCluster.start(directory, List.of(java(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                    System.getProperty("java.class.path")), shape.partitions());
            proxy = new TcpProxy("127.0.0.1", 5432);
            simulator = DirectorySimulator.start(DirectorySimulator.Settings.of(shape.simulatorUsers())
                    .withPort(Ports.free()).withChangesPerSecond(0));
            String apiKey = IntakeKey.kept(directory.resolve("intake-api-key"), 32);
            ClusterDeployment deployment = new ClusterDeployment(directory, shape, kafka, proxy, schema, simulator,
                    apiKey);
            deployment.launchAll(launcher);
            // Ctrl-C or a killed harness must not leave brokers and services running
            Thread cleanUp = new Thread(() -> {
                deployment.instances.values().forEach(instance -> instance.process().kill());
                deployment.kafka.close();
            }, "cluster-clean-up");
            Runtime.getRuntime().addShutdownHook(cleanUp);
            deployment.awaitReady(Duration.ofMinutes(5));
            return deployment;
        } catch (IOException | RuntimeException e) {
            if (simulator != null) {
                simulator.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    private void launchAll(Launcher launcher) throws IOException {
        Path publicKey = LocalTokens.in(directory).publicKey().toAbsolutePath();
        String linkSecret = IntakeKey.kept(directory.resolve("photo-link-secret"), 32);
        String scimToken = IntakeKey.kept(directory.resolve("scim-token"), 32);
        String jwt = "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey;
        String audience = "--spring.security.oauth2.resourceserver.jwt.audiences=" + LocalTokens.AUDIENCE;
        String noDatabase = "--spring.autoconfigure.exclude=" + LocalSystem.NO_DATABASE;
        for (int i = 1; i <= shape.ingest(); i++) {
            add(launcher, Service.CHANGE_INGEST, i, noDatabase,
                    "--profile-sync.ingest.intake.api-keys[0].name=cluster",
                    "--profile-sync.ingest.intake.api-keys[0].key=" + apiKey,
                    "--profile-sync.ingest.intake.api-keys[0].sources="
                            + String.join(",", LocalSystem.LOCAL_CLIENT_SOURCES),
                    "--profile-sync.ingest.topics.partitions=" + shape.partitions());
        }
        for (int i = 1; i <= shape.appliers(); i++) {
            add(launcher, Service.PROFILE_APPLIER, i, jwt, audience,
                    "--profile-sync.applier.photo-links.secret=" + linkSecret,
                    "--profile-sync.applier.scim.clients[0].name=cluster",
                    "--profile-sync.applier.scim.clients[0].token=" + scimToken,
                    "--profile-sync.applier.scim.clients[0].source=scim",
                    "--spring.datasource.url=" + datasourceUrl(),
                    "--spring.datasource.hikari.connection-timeout=5000",
                    "--profile-sync.applier.consumers=" + shape.applierConsumers(),
                    "--profile-sync.applier.topics.partitions=" + shape.partitions());
        }
        for (int i = 1; i <= shape.directory(); i++) {
            add(launcher, Service.DIRECTORY_SYNC, i, noDatabase, jwt, audience,
                    "--profile-sync.directory.graph.base-url=" + simulator.graphUrl(),
                    "--profile-sync.directory.graph.client-id=directory-sync-" + i,
                    "--profile-sync.directory.delta-interval=1s",
                    "--profile-sync.directory.photo-sweep-interval=1h",
                    "--profile-sync.directory.lease.session-timeout=6s",
                    "--profile-sync.directory.topics.partitions=" + shape.partitions());
        }
        for (int i = 1; i <= shape.photo(); i++) {
            Path photos = directory.resolve("photos");
            add(launcher, Service.PHOTO_SYNC, i, noDatabase, jwt, audience,
                    "--profile-sync.photo.links.secret=" + linkSecret,
                    "--profile-sync.photo.graph.base-url=" + simulator.graphUrl(),
                    "--profile-sync.photo.store=" + photos.toAbsolutePath(),
                    "--profile-sync.photo.topics.partitions=" + shape.partitions());
        }
        for (int i = 1; i <= shape.monitor(); i++) {
            List<String> directoryUrls = instances.values().stream()
                    .filter(instance -> instance.service() == Service.DIRECTORY_SYNC)
                    .map(Instance::managementUrl).toList();
            add(launcher, Service.SYNC_MONITOR, i, noDatabase, "--profile-sync.monitor.lag.interval=1s",
                    "--profile-sync.monitor.status.refresh=2s",
                    "--profile-sync.monitor.status.applier-management-url=" + instance(Service.PROFILE_APPLIER, 1)
                            .managementUrl(),
                    "--profile-sync.monitor.status.directory-sync-urls=" + String.join(",", directoryUrls));
        }
        instances.values().forEach(instance -> instance.process().start());
    }

    private void add(Launcher launcher, Service service, int number, String... specific) {
        int port = Ports.free();
        int management = Ports.free();
        List<String> command = new ArrayList<>(launcher.command(service));
        command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--management.server.port=" + management, "--management.server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers()));
        command.addAll(List.of(specific));
        JvmProcess process = new JvmProcess(service.module + "-" + number, command, directory);
        instances.put(process.name(), new Instance(service, number, process, port, management));
    }

    /** Waits until every running instance answers its readiness probe with UP. */
    public void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Instance instance : instances.values()) {
            while (instance.process().alive() && !ready(instance)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(instance.process().name() + " is not ready after " + limit
                            + "; see " + instance.process().log());
                }
                pause(Duration.ofMillis(500));
            }
            if (!instance.process().alive()) {
                throw new IllegalStateException(instance.process().name() + " exited; see "
                        + instance.process().log());
            }
        }
    }

    /** Whether the instance's readiness probe answers UP. */
    public boolean ready(Instance instance) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(instance.managementUrl()
                    + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the instance is ready again (after a restart). */
    public void awaitReady(Instance instance, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ready(instance)) {
            if (System.nanoTime() > deadline || !instance.process().alive()) {
                throw new IllegalStateException(instance.process().name() + " did not become ready; see "
                        + instance.process().log());
            }
            pause(Duration.ofMillis(300));
        }
    }

    public Instance instance(Service service, int number) {
        Instance instance = instances.get(service.module + "-" + number);
        if (instance == null) {
            throw new IllegalArgumentException("no " + service.module + "-" + number);
        }
        return instance;
    }

    public List<Instance> instances(Service service) {
        return instances.values().stream().filter(instance -> instance.service() == service).toList();
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public TcpProxy database() {
        return database;
    }

    public DirectorySimulator simulator() {
        return simulator;
    }

    public String apiKey() {
        return apiKey;
    }

    public Shape shape() {
        return shape;
    }

    public Path directory() {
        return directory;
    }

    /** A direct connection to the store (not through the proxy), for checks. */
    public Connection storeConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    private String datasourceUrl() {
        return "jdbc:postgresql://127.0.0.1:" + database.port() + "/test?currentSchema=" + schema
                + "&user=postgres&reWriteBatchedInserts=true";
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        List<Instance> reversed = new ArrayList<>(instances.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(instance -> instance.process().kill());
        simulator.close();
        database.close();
        kafka.close();
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
