package dev.profilesync.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;

/**
 * The textbook consumer the applier is compared with: a record listener that saves one row per record, in its own
 * transaction, with Spring Kafka's default ack mode (offsets committed after each poll). Two variants:
 * <ul>
 * <li>{@link Kind#SAME_UPSERT}: the same job as the applier, one record at a time: the applier's merge and convergent
 * upsert of the profile row, per record. This is the peer the target is measured against.</li>
 * <li>{@link Kind#BLOB}: a narrower toy that overwrites a three-column row with the change's fields as text. It does
 * not do the job (a change of one field loses the others) and is reported only as a reference.</li>
 * </ul>
 */
final class PerRecordPeer {

    enum Kind {
        SAME_UPSERT,
        BLOB
    }

    private PerRecordPeer() {
    }

    static double run(Kind kind, String bootstrapServers, String jdbcUrl, int concurrency, long expected)
            throws Exception {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(jdbcUrl);
            dataSource.setMaximumPoolSize(concurrency + 1);
            Consumer<UserEvent> save = kind == Kind.SAME_UPSERT ? new BenchStore(dataSource)::apply
                    : blob(dataSource);
            UserEventCodec codec = new UserEventCodec();
            AtomicLong saved = new AtomicLong();
            ContainerProperties properties = new ContainerProperties(Topics.USER_CHANGES);
            properties.setMessageListener((MessageListener<String, byte[]>) record -> {
                save.accept(codec.decode(record.key(), record.headers(), record.value(), record.timestamp()));
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
                return Throughput.fromFirst(saved::get, expected);
            } finally {
                container.stop();
            }
        }
    }

    private static Consumer<UserEvent> blob(HikariDataSource dataSource) throws java.sql.SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE peer_profile (user_id VARCHAR(36) PRIMARY KEY, fields TEXT,"
                    + " observed_at TIMESTAMP WITH TIME ZONE)");
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return event -> {
            UserChanged change = (UserChanged) event;
            jdbc.update("INSERT INTO peer_profile (user_id, fields, observed_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (user_id) DO UPDATE SET fields = excluded.fields,"
                    + " observed_at = excluded.observed_at", change.userId(), change.fields().toString(),
                    java.sql.Timestamp.from(change.observedAt()));
        };
    }
}
