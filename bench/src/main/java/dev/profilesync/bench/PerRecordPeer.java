package dev.profilesync.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

import com.zaxxer.hikari.HikariDataSource;

import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;

/**
 * The textbook consumer the applier is compared with: a record listener that saves one row per record, in its own
 * auto-committed statement, with Spring Kafka's default ack mode (offsets committed after each poll).
 */
final class PerRecordPeer {

    private PerRecordPeer() {
    }

    static double run(String bootstrapServers, String jdbcUrl, int concurrency, long expected) throws Exception {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(jdbcUrl);
            dataSource.setMaximumPoolSize(concurrency + 1);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE peer_profile (user_id VARCHAR(36) PRIMARY KEY, fields TEXT,"
                        + " observed_at TIMESTAMP WITH TIME ZONE)");
            }
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            UserEventCodec codec = new UserEventCodec();
            AtomicLong saved = new AtomicLong();
            ContainerProperties properties = new ContainerProperties(Topics.USER_CHANGES);
            properties.setMessageListener((MessageListener<String, byte[]>) record -> {
                UserChanged change = (UserChanged) codec.decode(record.key(), record.headers(), record.value(),
                        record.timestamp());
                jdbc.update("INSERT INTO peer_profile (user_id, fields, observed_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (user_id) DO UPDATE SET fields = excluded.fields,"
                        + " observed_at = excluded.observed_at", change.userId(), change.fields().toString(),
                        java.sql.Timestamp.from(change.observedAt()));
                saved.incrementAndGet();
            });
            DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-peer",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
                    factory, properties);
            container.setConcurrency(concurrency);
            container.start();
            try {
                return Throughput.measure(saved::get, expected);
            } finally {
                container.stop();
            }
        }
    }


}
