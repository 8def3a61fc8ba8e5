package dev.profilesync.applier.snapshot;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

import dev.profilesync.applier.read.ProfileQueries;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.applier.write.PollPublisher;
import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileSnapshots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the snapshot of every user a poll wrote, and the poll's offsets, in Kafka transactions that commit after
 * the store's. The rows come from the write itself on PostgreSQL ({@code RETURNING}) and are sent while the store
 * transaction is still open, so building and sending snapshots overlaps with the database's work; only the Kafka
 * commit waits for the store's. They are read back only on H2 and after a poll whose refused records were isolated.
 * <p>
 * One transactional producer per input partition, with the same transactional id in every instance
 * ({@link ConsumerGroups#SNAPSHOT_TRANSACTIONAL_ID_PREFIX}, topic, partition): a partition's snapshots and offsets
 * commit together, and when an instance dies with a transaction open, the partition's next owner fences and aborts it
 * as it starts its own, so {@code read_committed} readers are not held back until the dead one's times out. The
 * producer is made as soon as a partition is assigned (this is the container's rebalance listener): a dead owner's
 * open transaction also holds the partition's committed offset, and the new owner's consumer could not even fetch
 * its position until that transaction was fenced or had timed out (measured: a minute of delay after a kill -9).
 * <p>
 * Crash-safe: a crash after the store commit and before the Kafka commit leaves the offsets where they were and the
 * sent snapshots invisible, so the poll is delivered again, applied again (a no-op for the converged store) and its
 * users' snapshots published again, as the store holds them then. Every user the poll wrote is published, not only
 * those whose row changed, exactly so that the redelivered poll publishes what the first delivery could not.
 * <p>
 * Test hook: {@code -Dprofile-sync.failpoint=halt-before-snapshots:<n>} halts the JVM (as {@code kill -9} would) at
 * the n-th poll, after its store commit and before its snapshot transaction commits.
 */
@Component
@ConditionalOnProperty(name = "profile-sync.applier.snapshots.enabled", havingValue = "true", matchIfMissing = true)
class SnapshotPublisher implements PollPublisher, ConsumerAwareRebalanceListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    static final String FAILPOINT = "halt-before-snapshots:";

    private final ProfileQueries queries;
    private final Map<String, Object> producerSettings;
    /** The transactional producer of each input partition this instance has written for. */
    private final Map<TopicPartition, Producer<String, byte[]>> producers = new ConcurrentHashMap<>();
    /**
     * Which of this instance's consumers (the container runs several) made each producer. A partition can move between
     * them; the one that lost it may still be finishing a poll of its records, or learn of the loss only later, and
     * must then neither use nor close the producer the partition's new owner made.
     */
    private final Map<Producer<String, byte[]>, Consumer<?, ?>> madeBy = new ConcurrentHashMap<>();
    private final Counter published;
    private final Counter tombstones;
    private final io.micrometer.core.instrument.Timer seconds;
    private final long haltAtPoll;
    private final AtomicLong polls = new AtomicLong();

    SnapshotPublisher(javax.sql.DataSource store, KafkaProperties kafka, MeterRegistry registry) {
        // snapshots are lz4-compressed: without this the codec is lz4-java's pure-Java one inside the executable jar
        log.info("Snapshot compression {}", dev.profilesync.events.Lz4Native.prefer());
        // a poll's own rows are re-read on the writers' pool, never waiting behind the read API's
        this.queries = new ProfileQueries(store);
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a poll's transaction starts right after the last one committed: CONCURRENT_TRANSACTIONS until the last one's
        // markers are written is normal; ask again after 5 ms, not the default 100 ms
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        // a poll publishes thousands of ~1.5 kB snapshots at once: big batches compress better and cost far less
        // per record than the default 16 kB ones
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producerSettings = Map.copyOf(props);
        this.published = Counter.builder("profile_sync_snapshots_published_total")
                .description("Profile snapshots published to profile.snapshots").register(registry);
        this.tombstones = Counter.builder("profile_sync_snapshot_tombstones_total")
                .description("Tombstones published to profile.snapshots for deleted users").register(registry);
        this.seconds = io.micrometer.core.instrument.Timer.builder("profile_sync_snapshot_seconds")
                .description("Time from a poll's store commit until its snapshots and offsets are committed to Kafka")
                .publishPercentileHistogram().register(registry);
        String failpoint = System.getProperty("profile-sync.failpoint", "");
        this.haltAtPoll = failpoint.startsWith(FAILPOINT) ? Long.parseLong(failpoint.substring(FAILPOINT.length()))
                : -1;
    }

    @Override
    public Publication begin(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        return new PollSnapshots(records, consumer);
    }

    /** One poll's Kafka transactions, one per input partition, each begun when its first rows arrive. */
    private final class PollSnapshots implements Publication {

        private final List<ConsumerRecord<String, byte[]>> records;
        private final Consumer<?, ?> consumer;
        /** The input partition of each user of the poll (its last record's, should a key have moved). */
        private final Map<String, TopicPartition> partitionOf = new HashMap<>();
        private final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        private final Map<TopicPartition, Producer<String, byte[]>> open = new LinkedHashMap<>();
        private int sent;

        PollSnapshots(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
            this.records = records;
            this.consumer = consumer;
            // a poll hands its records over partition by partition: one TopicPartition and one offset per run of
            // records of the same partition, not per record
            TopicPartition partition = null;
            long next = -1;
            for (ConsumerRecord<String, byte[]> record : records) {
                if (partition == null || partition.partition() != record.partition()
                        || !partition.topic().equals(record.topic())) {
                    keepOffset(partition, next);
                    partition = new TopicPartition(record.topic(), record.partition());
                    next = -1;
                }
                next = Math.max(next, record.offset() + 1);
                String user = Identifiers.userId(record.key()).orElse(null);
                if (user != null) {
                    partitionOf.put(user, partition);
                }
            }
            keepOffset(partition, next);
        }

        private void keepOffset(TopicPartition partition, long next) {
            if (partition != null) {
                offsets.merge(partition, new OffsetAndMetadata(next), (a, b) -> a.offset() >= b.offset() ? a : b);
            }
        }

        @Override
        public void written(Collection<StoredProfile> rows) {
            try {
                send(rows);
            } catch (RuntimeException e) {
                abandoned();
                throw e;
            }
        }

        @Override
        public void committed(boolean complete) {
            if (records.isEmpty()) {
                return;
            }
            if (polls.incrementAndGet() == haltAtPoll) {
                log.warn("Failpoint {}{}: halting after the store commit, before the snapshots", FAILPOINT,
                        haltAtPoll);
                Runtime.getRuntime().halt(86);
            }
            long started = System.nanoTime();
            try {
                if (!complete) {
                    abortOpen();
                    sent = 0;
                    send(queries.findAll(partitionOf.keySet()));
                }
                for (Map.Entry<TopicPartition, OffsetAndMetadata> offset : offsets.entrySet()) {
                    begun(offset.getKey()).sendOffsetsToTransaction(Map.of(offset.getKey(), offset.getValue()),
                            consumer.groupMetadata());
                }
                for (var each = open.entrySet().iterator(); each.hasNext();) {
                    Map.Entry<TopicPartition, Producer<String, byte[]>> next = each.next();
                    each.remove();
                    commit(next.getKey(), next.getValue());
                }
            } catch (RuntimeException e) {
                abandoned();
                throw e;
            }
            seconds.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (log.isDebugEnabled()) {
                log.debug("Snapshots of {} users committed {} ms after the store", sent,
                        (System.nanoTime() - started) / 1_000_000);
            }
        }

        @Override
        public void abandoned() {
            abortOpen();
        }

        private void send(Collection<StoredProfile> rows) {
            for (StoredProfile profile : rows) {
                TopicPartition partition = partitionOf.get(profile.userId());
                Producer<String, byte[]> producer = begun(partition != null ? partition
                        : offsets.keySet().iterator().next());
                if (profile.present()) {
                    producer.send(ProfileSnapshots.snapshot(profile.userId(), SnapshotJson.of(profile),
                            profile.lastEventId(), profile.lastObservedAt()));
                    published.increment();
                } else {
                    producer.send(ProfileSnapshots.tombstone(profile.userId(), profile.lastEventId(),
                            profile.lastObservedAt()));
                    tombstones.increment();
                }
                sent++;
            }
        }

        private Producer<String, byte[]> begun(TopicPartition partition) {
            Producer<String, byte[]> producer = open.get(partition);
            if (producer == null) {
                producer = producerOf(partition, consumer);
                try {
                    producer.beginTransaction();
                } catch (RuntimeException e) {
                    discard(partition, producer);
                    throw e;
                }
                open.put(partition, producer);
            }
            return producer;
        }

        private void commit(TopicPartition partition, Producer<String, byte[]> producer) {
            try {
                producer.commitTransaction();
            } catch (RuntimeException e) {
                discard(partition, producer);
                throw e;
            }
        }

        private void abortOpen() {
            for (Map.Entry<TopicPartition, Producer<String, byte[]>> each : open.entrySet()) {
                try {
                    each.getValue().abortTransaction();
                } catch (RuntimeException e) {
                    log.warn("Aborting the snapshot transaction of {} failed: {}", each.getKey(), e.toString());
                    discard(each.getKey(), each.getValue());
                }
            }
            open.clear();
        }
    }

    /**
     * A partition is ours now: a producer with its transactional id is registered at once, which aborts whatever
     * transaction a previous owner left open, before the consumer asks for the partition's committed offset (pending
     * while that transaction is open). A producer kept from an earlier spell of ownership was fenced by the owner in
     * between, so it is replaced.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Producer<String, byte[]> earlier = producers.get(partition);
            if (earlier != null) {
                discard(partition, earlier);
            }
            try {
                producerOf(partition, consumer);
            } catch (RuntimeException e) {
                log.warn("Could not register the snapshot producer of {} yet ({}); the first poll will", partition,
                        e.toString());
            }
        }
    }

    /** The partition went to another instance, which fences this one's producer: close it. */
    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Producer<String, byte[]> producer = producers.get(partition);
            // only this consumer's own: another of ours may own the partition by now
            if (producer != null && madeBy.get(producer) == consumer) {
                discard(partition, producer);
            }
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevokedAfterCommit(consumer, partitions);
    }

    /**
     * The partition's producer, made and registered (fencing any other with its id) on first use. A producer another
     * of this instance's consumers made is not handed out: the partition has moved to that consumer, and the caller's
     * poll fails instead of stealing its transaction (the container then polls again and learns of the move).
     */
    private Producer<String, byte[]> producerOf(TopicPartition partition, Consumer<?, ?> consumer) {
        Producer<String, byte[]> existing = producers.computeIfAbsent(partition, p -> {
            Map<String, Object> props = new HashMap<>(producerSettings);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(p));
            props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId(p) + "-" + UUID.randomUUID());
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props);
            try {
                producer.initTransactions();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            madeBy.put(producer, consumer);
            return producer;
        });
        Consumer<?, ?> maker = madeBy.get(existing);
        if (maker != null && maker != consumer) {
            throw new IllegalStateException("the snapshot producer of " + partition
                    + " belongs to the partition's new owner among this instance's consumers");
        }
        return existing;
    }

    /** A producer that failed (fenced, timed out, in an unknown state) is closed; the next poll makes a new one. */
    private void discard(TopicPartition partition, Producer<String, byte[]> producer) {
        producers.remove(partition, producer);
        madeBy.remove(producer);
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("Closing a failed snapshot producer: {}", e.toString());
        }
    }

    static String transactionalId(TopicPartition partition) {
        return ConsumerGroups.SNAPSHOT_TRANSACTIONAL_ID_PREFIX + partition.topic() + "-" + partition.partition();
    }

    @Override
    public void destroy() {
        producers.values().forEach(producer -> producer.close(Duration.ofSeconds(5)));
        producers.clear();
        madeBy.clear();
    }
}
