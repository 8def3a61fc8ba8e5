package dev.profilesync.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the embedded mode, from {@code --name=value} arguments.
 *
 * @param dataDir where the broker's log and the H2 profile store live; a second start reuses them
 * @param datasourceUrl the profile store; null means the H2 file database under {@code dataDir}
 * @param apiKey the intake key of the built-in client {@code local}; null: a random key made at the first start and
 *        kept in {@code <dataDir>/intake-api-key}
 * @param simulatorPort port of the directory simulator (a simulated Microsoft Graph tenant)
 * @param directoryPort directory-sync (reads the simulated tenant; its webhook receives change notifications)
 * @param monitorPort sync-monitor (lag as sync delay)
 * @param management the management ports (health, metrics, operator endpoints) of the five services
 * @param simulatorUsers users of the simulated tenant; 0 runs no simulator, no directory-sync and no photo-sync
 * @param simulatorChangesPerSecond the simulated tenant's steady change rate
 */
public record LocalSettings(Path dataDir, int kafkaPort, int controllerPort, int ingestPort, int applierPort,
        int photoPort, int directoryPort, int monitorPort, ManagementPorts management, String datasourceUrl,
        String apiKey, int partitions,
        int simulatorPort, int simulatorUsers,
        double simulatorChangesPerSecond) {

    /** The management port of each service: health, info, metrics and the operator endpoints are served there. */
    public record ManagementPorts(int ingest, int applier, int photo, int directory, int monitor) {

        /** Five consecutive ports from {@code first}. */
        public static ManagementPorts from(int first) {
            return new ManagementPorts(first, first + 1, first + 2, first + 3, first + 4);
        }
    }

    public static LocalSettings defaults() {
        return new LocalSettings(Path.of("data"), 9092, 9093, 8081, 8082, 8083, 8084, 8085,
                ManagementPorts.from(8181), null, null, 12,
                8090, 5000, 2);
    }

    public static LocalSettings fromArgs(String... args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        LocalSettings d = defaults();
        LocalSettings settings = new LocalSettings(
                Path.of(options.getOrDefault("data-dir", d.dataDir().toString())),
                Integer.parseInt(options.getOrDefault("kafka-port", String.valueOf(d.kafkaPort()))),
                Integer.parseInt(options.getOrDefault("controller-port", String.valueOf(d.controllerPort()))),
                Integer.parseInt(options.getOrDefault("ingest-port", String.valueOf(d.ingestPort()))),
                Integer.parseInt(options.getOrDefault("applier-port", String.valueOf(d.applierPort()))),
                Integer.parseInt(options.getOrDefault("photo-port", String.valueOf(d.photoPort()))),
                Integer.parseInt(options.getOrDefault("directory-port", String.valueOf(d.directoryPort()))),
                Integer.parseInt(options.getOrDefault("monitor-port", String.valueOf(d.monitorPort()))),
                options.containsKey("management-ports-from")
                        ? ManagementPorts.from(Integer.parseInt(options.get("management-ports-from")))
                        : d.management(),
                options.getOrDefault("datasource-url", d.datasourceUrl()),
                options.getOrDefault("api-key", d.apiKey()),
                Integer.parseInt(options.getOrDefault("partitions", String.valueOf(d.partitions()))),
                Integer.parseInt(options.getOrDefault("simulator-port", String.valueOf(d.simulatorPort()))),
                Integer.parseInt(options.getOrDefault("simulator-users", String.valueOf(d.simulatorUsers()))),
                Double.parseDouble(options.getOrDefault("simulator-changes-per-second",
                        String.valueOf(d.simulatorChangesPerSecond()))));
        options.keySet().removeAll(java.util.Set.of("data-dir", "kafka-port", "controller-port", "ingest-port",
                "applier-port", "photo-port", "directory-port", "monitor-port", "management-ports-from", "datasource-url", "api-key", "partitions", "simulator-port", "simulator-users",
                "simulator-changes-per-second"));
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + options.keySet());
        }
        return settings;
    }

    /** The same settings with another intake key. */
    public LocalSettings withApiKey(String key) {
        return new LocalSettings(dataDir, kafkaPort, controllerPort, ingestPort, applierPort, photoPort, directoryPort,
                monitorPort, management, datasourceUrl, key, partitions, simulatorPort, simulatorUsers,
                simulatorChangesPerSecond);
    }

    /** The same settings with another simulated tenant (0 users: none). */
    public LocalSettings withSimulator(int users, double changesPerSecond) {
        return new LocalSettings(dataDir, kafkaPort, controllerPort, ingestPort, applierPort, photoPort, directoryPort,
                monitorPort, management, datasourceUrl, apiKey, partitions, simulatorPort, users, changesPerSecond);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String effectiveDatasourceUrl() {
        return datasourceUrl != null ? datasourceUrl
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("profiles");
    }
}
