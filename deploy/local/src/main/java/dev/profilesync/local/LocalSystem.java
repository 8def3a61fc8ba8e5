package dev.profilesync.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.ingest.ChangeIngestApplication;

/**
 * The whole product in one JVM: the broker, then change-ingest and profile-applier, each in its own Spring context
 * with its own configuration file. Services are started in dependency order and stopped in reverse.
 */
public final class LocalSystem implements AutoCloseable {

    /** Auto-configurations a service must not pick up just because another service put them on the classpath. */
    private static final String NO_DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private final LocalSettings settings;
    private final LocalKafka kafka;
    private ConfigurableApplicationContext ingest;
    private ConfigurableApplicationContext applier;

    private LocalSystem(LocalSettings settings, LocalKafka kafka) {
        this.settings = settings;
        this.kafka = kafka;
    }

    public static LocalSystem start(LocalSettings settings) throws IOException {
        LocalSystem system = new LocalSystem(settings, LocalKafka.start(settings));
        try {
            system.startIngest();
            system.startApplier();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    public LocalSettings settings() {
        return settings;
    }

    public void startIngest() {
        ingest = ChangeIngestApplication.application().run(common(settings.ingestPort(),
                "--spring.autoconfigure.exclude=" + NO_DATABASE,
                "--profile-sync.ingest.intake.api-keys[0].name=local",
                "--profile-sync.ingest.intake.api-keys[0].key=" + settings.apiKey(),
                "--profile-sync.ingest.topics.partitions=" + settings.partitions(),
                "--profile-sync.ingest.lag.interval=1s"));
    }

    public void startApplier() {
        applier = ProfileApplierApplication.application().run(common(settings.applierPort(),
                "--spring.datasource.url=" + settings.effectiveDatasourceUrl(),
                "--profile-sync.applier.topics.partitions=" + settings.partitions()));
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

    private String[] common(int port, String... specific) {
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + settings.bootstrapServers()));
        args.addAll(List.of(specific));
        return args.toArray(String[]::new);
    }

    @Override
    public void close() {
        stopApplier();
        if (ingest != null) {
            ingest.close();
            ingest = null;
        }
        kafka.close();
    }
}
