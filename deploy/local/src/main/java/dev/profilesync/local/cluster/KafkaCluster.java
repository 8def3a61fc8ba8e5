package dev.profilesync.local.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import dev.profilesync.local.LocalKafka;

/**
 * A Kafka cluster of three real broker processes ({@code kafka.Kafka}, what the distribution's start script runs),
 * each a combined broker and KRaft controller, on loopback ports: replication factor 3 and
 * {@code min.insync.replicas=2} for every topic, the internal ones included. Nodes can be killed with SIGKILL and
 * started again on their data, as a crashed machine comes back.
 */
public final class KafkaCluster implements AutoCloseable {

    public static final int NODES = 3;

    private final List<JvmProcess> nodes = new ArrayList<>();
    private final String bootstrap;

    private KafkaCluster(List<JvmProcess> nodes, String bootstrap) {
        this.nodes.addAll(nodes);
        this.bootstrap = bootstrap;
    }

    /**
     * Formats and starts the three nodes; returns when all three are brokers of the cluster.
     *
     * @param java the command that starts a JVM with Kafka's server on its class path, up to the main class
     */
    public static KafkaCluster start(Path directory, List<String> java, int partitions) throws IOException {
        int[] brokerPorts = new int[NODES];
        int[] controllerPorts = new int[NODES];
        StringJoiner voters = new StringJoiner(",");
        StringJoiner bootstrap = new StringJoiner(",");
        for (int i = 0; i < NODES; i++) {
            brokerPorts[i] = Ports.free();
            controllerPorts[i] = Ports.free();
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
            bootstrap.add("127.0.0.1:" + brokerPorts[i]);
        }
        String clusterId = Uuid.randomUuid().toString();
        List<JvmProcess> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Path nodeDir = directory.resolve("kafka-" + (i + 1));
            Files.createDirectories(nodeDir);
            Properties props = serverProperties(i + 1, brokerPorts[i], controllerPorts[i], voters.toString(),
                    nodeDir.resolve("log"), partitions);
            Path config = nodeDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "kafka node " + (i + 1));
            }
            LocalKafka.formatStorage(config, clusterId, List.of());
            List<String> command = new ArrayList<>(java);
            command.add("kafka.Kafka");
            command.add(config.toString());
            nodes.add(new JvmProcess("kafka-" + (i + 1), command, directory));
        }
        KafkaCluster cluster = new KafkaCluster(nodes, bootstrap.toString());
        nodes.forEach(JvmProcess::start);
        cluster.awaitBrokers(NODES, Duration.ofSeconds(120));
        return cluster;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Node {@code id} (1 to 3). */
    public JvmProcess node(int id) {
        return nodes.get(id - 1);
    }

    /** The node id of the active controller (the KRaft quorum's leader). */
    public int activeController() {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot tell the active controller", e);
        }
    }

    /** Waits until {@code count} brokers are registered and serving. */
    public void awaitBrokers(int count, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(count + " brokers did not come up within " + limit, last);
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static Properties serverProperties(int id, int brokerPort, int controllerPort, String voters, Path logDir,
            int partitions) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(id));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(partitions));
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("unclean.leader.election.enable", "false");
        // a node that died is fenced after 3 s, so its partitions get new leaders quickly
        props.put("broker.session.timeout.ms", "3000");
        props.put("broker.heartbeat.interval.ms", "1000");
        props.put("log.retention.hours", "24");
        return props;
    }

    @Override
    public void close() {
        nodes.forEach(JvmProcess::kill);
    }
}
