package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

import dev.profilesync.applier.ApplierProperties;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.TopicSettings;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * When the snapshot stream fails while the store writes a poll (its producer was fenced, closed, timed out, or the
 * partition moved to another consumer), no record is at fault: the poll goes back to the container to be delivered
 * again, whole. It is not bisected and nothing is dead-lettered.
 */
class PollPublicationFailureIT {

    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");
    private static TestDatabases postgres;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
    }

    @AfterAll
    static void stop() throws SQLException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aFailedPublicationIsRetriedWholeAndDeadLettersNothing() {
        List<ConsumerRecord<?, ?>> deadLettered = new ArrayList<>();
        // a real recoverer whose producer is never reached: the test keeps what would have been sent
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:9")))) {
            @Override
            public void accept(ConsumerRecord<?, ?> record, Exception exception) {
                deadLettered.add(record);
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PollApplier applier = new PollApplier(postgres.store(), new ApplierProperties(1,
                Map.of(FieldOwner.DIRECTORY, List.of("graph")), new TopicSettings(1, (short) 1), Duration.ofHours(1),
                3, new ApplierProperties.PhotoLinkSettings("", Duration.ofHours(1), List.of("96x96"))), deadLetters,
                registry);
        try {
            List<ConsumerRecord<String, byte[]>> poll = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                poll.add(record(i, new UserChanged("e-" + i, user(i), "graph", T.plusSeconds(i),
                        Map.of(ProfileField.CITY, "City " + i))));
            }
            AtomicInteger handed = new AtomicInteger();
            PollPublisher.Publication failing = new PollPublisher.Publication() {
                @Override
                public void written(Collection<StoredProfile> rows) {
                    handed.addAndGet(rows.size());
                    throw new IllegalStateException("the producer of user-changes-0 belongs to another consumer");
                }

                @Override
                public void committed(boolean complete) {
                    throw new AssertionError("a failed publication is not committed");
                }

                @Override
                public void abandoned() {
                }
            };

            assertThatThrownBy(() -> applier.apply(poll, failing))
                    .isInstanceOf(PublicationFailedException.class)
                    .hasRootCauseMessage("the producer of user-changes-0 belongs to another consumer")
                    .satisfies(f -> assertThat(StoreFailures.classify(f)).isEqualTo(StoreFailures.Kind.TRANSIENT));
            assertThat(handed).hasPositiveValue();
            assertThat(deadLettered).isEmpty();
            assertThat(registry.find("profile_sync_applier_isolations").counter().count()).isZero();

            // delivered again, with the stream healthy: applied and handed over whole
            List<StoredProfile> published = new ArrayList<>();
            PollPublisher.Publication healthy = new PollPublisher.Publication() {
                @Override
                public void written(Collection<StoredProfile> rows) {
                    published.addAll(rows);
                }

                @Override
                public void committed(boolean complete) {
                }

                @Override
                public void abandoned() {
                }
            };
            assertThat(applier.apply(poll, healthy)).isTrue();
            assertThat(published).hasSize(300);
            assertThat(postgres.queries().find(user(299))).hasValueSatisfying(
                    p -> assertThat(p.fields()).containsEntry(ProfileField.CITY, "City 299"));
            assertThat(deadLettered).isEmpty();
        } finally {
            applier.destroy();
        }
    }

    private static String user(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    private static ConsumerRecord<String, byte[]> record(long offset, UserChanged change) {
        ProducerRecord<String, byte[]> produced = new UserEventCodec().toRecord(change);
        return new ConsumerRecord<>(Topics.USER_CHANGES, 0, offset, T.toEpochMilli(), TimestampType.CREATE_TIME,
                produced.key().length(), produced.value().length, produced.key(), produced.value(),
                produced.headers(), Optional.empty());
    }
}
