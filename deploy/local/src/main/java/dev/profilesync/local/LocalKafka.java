package dev.profilesync.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node KRaft broker (combined broker and controller) in this JVM, the same server the Kafka distribution
 * runs, with its log under the data directory so that topics and offsets survive a restart. Any Kafka client (kcat,
 * a CloudEvents SDK) can reach it on 127.0.0.1.
 */
public final class LocalKafka implements AutoCloseable {

    private final KafkaRaftServer server;

    private LocalKafka(KafkaRaftServer server) {
        this.server = server;
    }

    public static LocalKafka start(LocalSettings settings) throws IOException {
        return start(settings, java.util.Map.of(), java.util.List.of());
    }

    /**
     * A broker with some server properties replaced, e.g. SASL listeners and an authorizer.
     *
     * @param formatArguments more arguments of {@code kafka-storage format}, e.g. {@code --add-scram} for the
     *        credentials the broker itself needs before any client can create others
     */
    public static LocalKafka start(LocalSettings settings, java.util.Map<String, String> overrides,
            java.util.List<String> formatArguments) throws IOException {
        Path logDir = settings.dataDir().toAbsolutePath().resolve("kafka");
        Files.createDirectories(logDir);
        Properties props = serverProperties(settings, logDir);
        props.putAll(overrides);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props, settings.dataDir().toAbsolutePath(), formatArguments);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        return new LocalKafka(server);
    }

    private static Properties serverProperties(LocalSettings settings, Path logDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + settings.controllerPort());
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + settings.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                + settings.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + settings.kafkaPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(settings.partitions()));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.retention.hours", "168");
        return props;
    }

    private static void format(Properties props, Path dataDir, java.util.List<String> formatArguments)
            throws IOException {
        Path config = dataDir.resolve("kafka-server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by the embedded runner to format the broker's storage");
        }
        formatStorage(config, Uuid.randomUuid().toString(), formatArguments);
    }

    /**
     * {@code kafka-storage format} of the node configured by {@code config}, for cluster {@code clusterId}; a
     * directory already formatted is left as it is.
     *
     * @param formatArguments more arguments, e.g. {@code --add-scram}
     */
    public static void formatStorage(Path config, String clusterId, java.util.List<String> formatArguments) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("format", "-t", clusterId, "-c",
                config.toString(), "--ignore-formatted"));
        command.addAll(formatArguments);
        int status = StorageTool.execute(command.toArray(String[]::new),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("formatting the Kafka log directory of " + config + " failed: "
                    + output);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
