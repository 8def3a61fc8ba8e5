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
import dev.profilesync.events.UserEventCodec;
import dev.profilesync.local.LocalKafka;
import dev.profilesync.local.LocalSettings;

/** A fresh real KRaft broker for one run, with the change set already on {@code directory.user-changes}. */
final class BenchKafka implements AutoCloseable {

    private final Path dir;
    private final LocalKafka kafka;
    private final LocalSettings settings;

    BenchKafka(int partitions, List<UserChanged> changes) throws IOException, InterruptedException, ExecutionException {
        dir = Files.createTempDirectory("bench-kafka");
        LocalSettings defaults = LocalSettings.defaults();
        settings = new LocalSettings(dir, 19092, 19093, 0, 0, 0, null, defaults.apiKey(), partitions, 0, 0, 0);
        kafka = LocalKafka.start(settings);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.USER_CHANGES, partitions, (short) 1),
                    new NewTopic(Topics.deadLetterOf(Topics.USER_CHANGES), partitions, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        UserEventCodec codec = new UserEventCodec();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (UserChanged change : changes) {
                producer.send(codec.toRecord(change));
            }
            producer.flush();
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
