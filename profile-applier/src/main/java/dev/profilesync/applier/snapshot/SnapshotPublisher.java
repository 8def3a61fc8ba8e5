package dev.profilesync.applier.snapshot;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.profilesync.applier.read.ProfileQueries;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.applier.write.AfterCommit;
import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileSnapshots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the snapshot of every user of a poll once the store has committed it, and the poll's offsets, in one
 * Kafka transaction. The rows come from the write itself on PostgreSQL ({@code RETURNING}); they are read back only
 * on H2 and after a poll whose refused records were isolated. Crash-safe: a crash after the store commit and before this transaction commits leaves the
 * offsets where they were, so the poll is delivered again, applied again (a no-op for the converged store) and its
 * users' snapshots published again, read from the store as it is then. Every user of the poll is published, not only
 * those whose row changed, exactly so that the redelivered poll publishes what the first delivery could not.
 * <p>
 * Test hook: {@code -Dprofile-sync.failpoint=halt-before-snapshots:<n>} halts the JVM (as {@code kill -9} would) at
 * the n-th poll, after its store commit and before its snapshot transaction.
 */
@Component
@ConditionalOnProperty(name = "profile-sync.applier.snapshots.enabled", havingValue = "true", matchIfMissing = true)
class SnapshotPublisher implements AfterCommit, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    static final String FAILPOINT = "halt-before-snapshots:";

    private final ProfileQueries queries;
    private final DefaultKafkaProducerFactory<String, byte[]> producers;
    private final KafkaTemplate<String, byte[]> template;
    private final Counter published;
    private final Counter tombstones;
    private final io.micrometer.core.instrument.Timer seconds;
    private final long haltAtPoll;
    private final AtomicLong polls = new AtomicLong();

    SnapshotPublisher(ProfileQueries queries, KafkaProperties kafka, MeterRegistry registry) {
        this.queries = queries;
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a poll publishes thousands of ~1.5 kB snapshots at once: big batches compress better and cost far less
        // per record than the default 16 kB ones
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producers = new DefaultKafkaProducerFactory<>(props, new org.apache.kafka.common.serialization
                .StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        producers.setTransactionIdPrefix(ConsumerGroups.SNAPSHOT_TRANSACTIONAL_ID_PREFIX + UUID.randomUUID() + "-");
        this.template = new KafkaTemplate<>(producers);
        this.published = Counter.builder("profile_sync_snapshots_published_total")
                .description("Profile snapshots published to profile.snapshots").register(registry);
        this.tombstones = Counter.builder("profile_sync_snapshot_tombstones_total")
                .description("Tombstones published to profile.snapshots for deleted users").register(registry);
        this.seconds = io.micrometer.core.instrument.Timer.builder("profile_sync_snapshot_seconds")
                .description("Time to read a poll's users and publish their snapshots with the poll's offsets")
                .publishPercentileHistogram().register(registry);
        String failpoint = System.getProperty("profile-sync.failpoint", "");
        this.haltAtPoll = failpoint.startsWith(FAILPOINT) ? Long.parseLong(failpoint.substring(FAILPOINT.length()))
                : -1;
    }

    @Override
    public void committed(List<ConsumerRecord<String, byte[]>> records, Optional<Collection<StoredProfile>> written,
            Consumer<?, ?> consumer) {
        if (records.isEmpty()) {
            return;
        }
        if (polls.incrementAndGet() == haltAtPoll) {
            log.warn("Failpoint {}{}: halting after the store commit, before the snapshots", FAILPOINT, haltAtPoll);
            Runtime.getRuntime().halt(86);
        }
        Set<String> users = new LinkedHashSet<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (written.isEmpty()) {
                Identifiers.userId(record.key()).ifPresent(users::add);
            }
            offsets.merge(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        long started = System.nanoTime();
        Collection<StoredProfile> profiles = written.isPresent() ? written.get() : queries.findAll(users);
        long read = System.nanoTime();
        template.executeInTransaction(operations -> {
            for (StoredProfile profile : profiles) {
                if (profile.present()) {
                    operations.send(ProfileSnapshots.snapshot(profile.userId(), SnapshotJson.of(profile),
                            profile.lastEventId(), profile.lastObservedAt()));
                    published.increment();
                } else {
                    operations.send(ProfileSnapshots.tombstone(profile.userId(), profile.lastEventId(),
                            profile.lastObservedAt()));
                    tombstones.increment();
                }
            }
            operations.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            return null;
        });
        long done = System.nanoTime();
        if (log.isDebugEnabled()) {
            log.debug("Snapshots of {} users: read {} ms, transaction {} ms", profiles.size(),
                    (read - started) / 1_000_000, (done - read) / 1_000_000);
        }
        seconds.record(done - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
