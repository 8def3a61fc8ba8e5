package dev.profilesync.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.directory.DirectorySyncApplication;
import dev.profilesync.events.ServiceAcls.Service;
import dev.profilesync.ingest.ChangeIngestApplication;
import dev.profilesync.monitor.SyncMonitorApplication;
import dev.profilesync.photo.PhotoSyncApplication;
import dev.profilesync.simulator.DirectorySimulator;

/**
 * The whole product in one JVM: the broker, the directory simulator, then every role (change-ingest, directory-sync,
 * profile-applier, photo-sync, sync-monitor), each in its own Spring context with its own configuration file.
 * Services are started in dependency order and stopped in reverse.
 */
public final class LocalSystem implements AutoCloseable {

    /** The sources the built-in intake client {@code local} may claim. */
    public static final List<String> LOCAL_CLIENT_SOURCES = List.of("hr-system", "directory", "self-service");

    /** Auto-configurations a service must not pick up just because another service put them on the classpath. */
    public static final String NO_DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private final LocalSettings settings;
    private final LocalKafka kafka;
    private final String clientState = UUID.randomUUID().toString();
    private DirectorySimulator simulator;
    private ConfigurableApplicationContext ingest;
    private ConfigurableApplicationContext directory;
    private ConfigurableApplicationContext applier;
    private ConfigurableApplicationContext photos;
    private ConfigurableApplicationContext monitor;

    private final Function<Service, List<String>> kafkaClientArguments;

    private LocalSystem(LocalSettings settings, LocalKafka kafka,
            Function<Service, List<String>> kafkaClientArguments) {
        this.settings = settings;
        this.kafka = kafka;
        this.kafkaClientArguments = kafkaClientArguments;
    }

    public static LocalSystem start(LocalSettings settings) throws IOException {
        return start(settings, true);
    }

    /**
     * @param directorySync whether to run directory-sync in this JVM; tests that run it as separate processes (to
     *        kill one) say false
     */
    public static LocalSystem start(LocalSettings requested, boolean directorySync) throws IOException {
        return start(requested.withApiKey(IntakeKey.of(requested)), directorySync, LocalKafka::start,
                service -> List.of());
    }

    /** Starts a broker for these settings. */
    @FunctionalInterface
    public interface BrokerStarter {
        LocalKafka start(LocalSettings settings) throws IOException;
    }

    /**
     * The system against a broker of the caller's making, each service with its own Kafka client settings (e.g. its
     * own SASL principal): {@code kafkaClientArguments} gives the extra {@code --spring.kafka...} arguments per
     * service.
     */
    public static LocalSystem start(LocalSettings requested, boolean directorySync, BrokerStarter broker,
            Function<Service, List<String>> kafkaClientArguments) throws IOException {
        LocalSettings settings = requested.withApiKey(IntakeKey.of(requested));
        LocalSystem system = new LocalSystem(settings, broker.start(settings), kafkaClientArguments);
        try {
            if (settings.simulatorUsers() > 0) {
                system.simulator = DirectorySimulator.start(DirectorySimulator.Settings.of(settings.simulatorUsers())
                        .withPort(settings.simulatorPort())
                        .withChangesPerSecond(settings.simulatorChangesPerSecond()));
            }
            system.startIngest();
            system.startApplier();
            if (system.simulator != null) {
                if (directorySync) {
                    system.startDirectorySync();
                }
                system.startPhotoSync();
            }
            system.startMonitor();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    public LocalSettings settings() {
        return settings;
    }

    /** The simulated Graph tenant, or null when the settings ask for none. */
    public DirectorySimulator simulator() {
        return simulator;
    }

    /** Starts change-ingest; {@code overrides} are extra {@code --name=value} settings. */
    public void startIngest(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--spring.autoconfigure.exclude=" + NO_DATABASE,
                "--profile-sync.ingest.intake.api-keys[0].name=local",
                "--profile-sync.ingest.intake.api-keys[0].key=" + settings.apiKey(),
                "--profile-sync.ingest.intake.api-keys[0].sources=" + String.join(",", LOCAL_CLIENT_SOURCES),
                "--profile-sync.ingest.topics.partitions=" + settings.partitions()));
        ingest = ChangeIngestApplication.application().run(common(Service.CHANGE_INGEST, settings.ingestPort(), settings.management().ingest(),
                withOverrides(args, overrides)));
    }

    /** Stops change-ingest. */
    public void stopIngest() {
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
    }

    /**
     * Starts directory-sync against the simulated tenant; {@code overrides} are extra {@code --name=value} settings.
     * Being the only instance, it takes the lease at once.
     */
    public void startDirectorySync(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--spring.autoconfigure.exclude=" + NO_DATABASE, jwtPublicKey(),
                JWT_AUDIENCE, "--profile-sync.directory.graph.base-url=" + simulator.graphUrl(),
                "--profile-sync.directory.delta-interval=30s",
                "--profile-sync.directory.photo-sweep-interval=10m",
                "--profile-sync.directory.webhook.notification-url=http://127.0.0.1:" + settings.directoryPort()
                        + "/graph/notifications",
                "--profile-sync.directory.webhook.client-state=" + clientState,
                "--profile-sync.directory.topics.partitions=" + settings.partitions()));
        directory = DirectorySyncApplication.application().run(common(Service.DIRECTORY_SYNC, settings.directoryPort(), settings.management().directory(),
                withOverrides(args, overrides)));
    }

    /** Stops directory-sync cleanly: a delta round in progress stops after its current page. */
    public void stopDirectorySync() {
        if (directory != null) {
            directory.close();
            directory = null;
        }
    }

    /** sync-monitor, reading every consumer group's lag each second. */
    public void startMonitor() {
        monitor = SyncMonitorApplication.application().run(common(Service.SYNC_MONITOR, settings.monitorPort(), settings.management().monitor(),
                "--spring.autoconfigure.exclude=" + NO_DATABASE, "--profile-sync.monitor.lag.interval=1s",
                "--profile-sync.monitor.status.refresh=2s",
                "--profile-sync.monitor.status.applier-management-url=http://127.0.0.1:"
                        + settings.management().applier(),
                "--profile-sync.monitor.status.directory-sync-urls=" + (settings.simulatorUsers() == 0 ? ""
                        : "http://127.0.0.1:" + settings.management().directory())));
    }

    /** The webhook's clientState, for tests and tools that start more directory-sync instances. */
    public String webhookClientState() {
        return clientState;
    }

    private static String[] withOverrides(List<String> args, String... overrides) {
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals > 0) {
                String name = override.substring(0, equals + 1);
                args.removeIf(arg -> arg.startsWith(name));
            }
            args.add(override);
        }
        return args.toArray(String[]::new);
    }

    /** The argument that makes a service trust the embedded default's own tokens. */
    private String jwtPublicKey() {
        try {
            Path publicKey = LocalTokens.in(settings.dataDir()).publicKey();
            return "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey.toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String JWT_AUDIENCE = "--spring.security.oauth2.resourceserver.jwt.audiences="
            + LocalTokens.AUDIENCE;

    public void startApplier() {
        applier = startApplierInstance(settings.applierPort(), settings.management().applier());
    }

    /**
     * Another profile-applier instance as a read replica ({@code profile-sync.applier.apply=false}) on the given ports:
     * it serves the read API and SCIM from the same store and applies nothing. The caller closes it.
     */
    public ConfigurableApplicationContext startReadReplica(int port, int managementPort) {
        return startApplierInstance(port, managementPort, "--profile-sync.applier.apply=false");
    }

    private ConfigurableApplicationContext startApplierInstance(int port, int managementPort, String... overrides) {
        List<String> args = new ArrayList<>(List.of(jwtPublicKey(), JWT_AUDIENCE, photoLinkSecret("applier"),
                "--springdoc.api-docs.enabled=true",
                "--profile-sync.applier.scim.clients[0].name=local",
                "--profile-sync.applier.scim.clients[0].token=" + secret(SCIM_TOKEN_FILE),
                "--profile-sync.applier.scim.clients[0].source=scim",
                "--spring.datasource.url=" + settings.effectiveDatasourceUrl(),
                "--profile-sync.applier.topics.partitions=" + settings.partitions()));
        return ProfileApplierApplication.application().run(common(Service.PROFILE_APPLIER, port, managementPort,
                withOverrides(args, overrides)));
    }

    /**
     * photo-sync, reading photos from the simulated tenant; thumbnails under {@code <data>/photos}. {@code overrides}
     * win over every other setting, the system's per-service arguments included.
     */
    public void startPhotoSync(String... overrides) {
        List<String> args = new ArrayList<>(List.of("--spring.autoconfigure.exclude=" + NO_DATABASE, jwtPublicKey(),
                JWT_AUDIENCE, photoLinkSecret("photo"),
                "--profile-sync.photo.graph.base-url=" + simulator.graphUrl(),
                "--profile-sync.photo.store=" + settings.dataDir().toAbsolutePath().resolve("photos"),
                "--profile-sync.photo.public-url=http://127.0.0.1:" + settings.photoPort(),
                // every service shares these cores: new users' photos wait while the applier is behind
                "--profile-sync.photo.bulk-pause.backlog=" + PHOTO_BULK_PAUSE_BACKLOG,
                "--profile-sync.photo.bulk-pause.inflow=" + PHOTO_BULK_PAUSE_INFLOW,
                "--profile-sync.photo.topics.partitions=" + settings.partitions()));
        photos = PhotoSyncApplication.application().run(withOverrides(new ArrayList<>(List.of(common(
                Service.PHOTO_SYNC, settings.photoPort(), settings.management().photo(), args.toArray(String[]::new)))),
                overrides));
    }

    /**
     * The all-in-one system's photo-sync pauses its bulk lane while the applier has more than this many changes to
     * apply (about half a second of its work on two cores).
     */
    public static final int PHOTO_BULK_PAUSE_BACKLOG = 5_000;

    /**
     * Changes a second arriving for the applier above which the all-in-one system's bulk photo lane pauses: a full
     * load runs at some 7,000-13,000 a second with the applier close behind the reader (slower in its first seconds,
     * while the code is still compiled), the embedded tenant's own changes at 2.
     */
    public static final int PHOTO_BULK_PAUSE_INFLOW = 1_000;

    /** Stops photo-sync. */
    public void stopPhotoSync() {
        if (photos != null) {
            photos.close();
            photos = null;
        }
    }

    /** Stops the applier as an operator would (graceful shutdown); the rest keeps running. */
    public void stopApplier() {
        if (applier != null) {
            applier.close();
            applier = null;
        }
    }

    /** Pauses the applier's consumers while its read API keeps serving, as when it falls behind. */
    public void pauseApplierConsumers() {
        applier.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().forEach(c -> c.pause());
    }

    public void resumeApplierConsumers() {
        applier.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().forEach(c -> c.resume());
    }

    /**
     * The embedded default listens on the loopback interface only (as its broker and the simulator do); set
     * {@value #BIND_ADDRESS_VARIABLE} (e.g. {@code 0.0.0.0}) to serve other machines.
     */
    static final String BIND_ADDRESS_VARIABLE = "PROFILE_SYNC_LOCAL_BIND_ADDRESS";

    /** The bearer token of the embedded default's SCIM client {@code local}, under the data directory. */
    public static final String SCIM_TOKEN_FILE = "scim-token";

    private String secret(String file) {
        try {
            return IntakeKey.kept(settings.dataDir().resolve(file), 32);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The photo-link secret the applier signs with and photo-sync checks, made at the first start and kept. */
    private String photoLinkSecret(String service) {
        return "--profile-sync." + service + (service.equals("applier") ? ".photo-links" : ".links") + ".secret="
                + secret("photo-link-secret");
    }

    private String[] common(Service service, int port, int managementPort, String... specific) {
        String address = System.getenv().getOrDefault(BIND_ADDRESS_VARIABLE, "127.0.0.1");
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=" + address,
                "--management.server.port=" + managementPort, "--management.server.address=" + address,
                "--spring.kafka.bootstrap-servers=" + settings.bootstrapServers()));
        args.addAll(List.of(specific));
        // the caller's arguments for a service win over the system's own
        return withOverrides(args, kafkaClientArguments.apply(service).toArray(String[]::new));
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        if (photos != null) {
            photos.close();
            photos = null;
        }
        stopApplier();
        stopDirectorySync();
        stopIngest();
        if (simulator != null) {
            simulator.close();
        }
        kafka.close();
    }
}
