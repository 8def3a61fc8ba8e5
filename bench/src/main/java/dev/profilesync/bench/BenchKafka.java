package dev.profilesync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.util.FileSystemUtils;

import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;

/** A fresh real KRaft broker for one run, with the change set already on {@code directory.user-changes}. */
final class BenchKafka implements AutoCloseable {

    private final Path dir;
    private final LocalKafka kafka;
    private final LocalSettings settings;
    private final int partitions;

    BenchKafka(int partitions, List<UserChanged> changes) throws IOException, InterruptedException, ExecutionException {
        this.partitions = partitions;
        dir = Files.createTempDirectory("bench-kafka");
        // fresh ports per broker: a producer of a previous run must never reach this one
        settings = new LocalSettings(dir, freePort(), freePort(), 0, 0, 0, 0, 0,
                LocalSettings.ManagementPorts.from(0), null, null, partitions, 0,
                0, 0);
        kafka = LocalKafka.start(settings);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.USER_CHANGES, partitions, (short) 1),
                    new NewTopic(Topics.deadLetterOf(Topics.USER_CHANGES), partitions, (short) 1))).all().get();
            awaitLeaders(admin, partitions);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // a fresh broker may answer NOT_LEADER for a moment after the topic exists; an idempotent producer then
        // lost its sequence (OutOfOrderSequenceException) and records, so pre-load in order, one request at a time
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        Exception failure;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            failure = ChangeSet.send(producer, changes);
        }
        if (failure != null) {
            close();
            throw new IllegalStateException("pre-loading the topic failed", failure);
        }
        verifyLoaded(changes.size());
        Quiet.settle();
    }

    private void verifyLoaded(long expected) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(Topics.USER_CHANGES, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            long loaded = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
            if (loaded != expected) {
                close();
                throw new IllegalStateException("pre-loaded " + loaded + " records instead of " + expected);
            }
        }
    }

    /**
     * Producing before every partition has a leader makes the idempotent producer lose its sequence. A benchmark
     * program's poll (this module has no Awaitility): every 50 ms, for at most a minute.
     */
    private static void awaitLeaders(Admin admin, int partitions) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            org.apache.kafka.clients.admin.TopicDescription topic = describe(admin);
            if (topic != null && topic.partitions().size() == partitions
                    && topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions without a leader: " + topic);
            }
            Thread.sleep(50);
        }
    }

    /** The topic, or null while the broker's metadata does not show the topic it has just created. */
    private static org.apache.kafka.clients.admin.TopicDescription describe(Admin admin)
            throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(List.of(Topics.USER_CHANGES)).allTopicNames().get().get(Topics.USER_CHANGES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String bootstrapServers() {
        return settings.bootstrapServers();
    }

    @Override
    public void close() {
        kafka.close();
        FileSystemUtils.deleteRecursively(dir.toFile());
    }
}
