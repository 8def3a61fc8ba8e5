package dev.profilesync.directory.leader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * Which instance is active, decided by Kafka's group membership: every instance of a tenant joins the consumer group
 * {@link ConsumerGroups#directorySync} on the one-partition topic {@link Topics#DIRECTORY_SYNC_LEASE}, and the member
 * assigned that partition holds the lease. When the holder dies, the group coordinator drops it after the session
 * timeout and assigns the partition to another member; a clean stop leaves the group at once.
 *
 * <p>The lease topic also carries wake-up notices and operators' instructions: a standby that receives a change
 * notification writes one, and the holder, which polls the topic anyway, starts a delta round.
 */
public final class Lease implements AutoCloseable {

    /** What the holder of a lease is told. Called on the lease thread; must return promptly. */
    public interface Holder {

        /** This instance now holds the lease. */
        void acquired();

        /** This instance no longer holds the lease (revoked, or lost after a pause); stop publishing. */
        void released();

        /** A standby received a change notification. */
        void wake();

        /** An operator's instruction, given on any instance ({@link #tellHolder}). */
        void told(String instruction);
    }

    private static final String WAKE = "wake";

    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    private final Map<String, Object> consumerProperties;
    private final Map<String, Object> producerProperties;
    private final String tenant;
    private final Holder holder;
    private volatile boolean running;
    private volatile boolean held;
    private volatile boolean rejoin;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, String> waker;
    private Thread thread;

    /**
     * @param connection Kafka connection settings (bootstrap servers, security)
     * @param sessionTimeout how long the holder may be silent before another member takes over
     */
    public Lease(Map<String, Object> connection, String tenant, Duration sessionTimeout, Holder holder) {
        this.tenant = tenant;
        this.holder = holder;
        Map<String, Object> consumer = new HashMap<>(connection);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.directorySync(tenant));
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeout.toMillis() / 4));
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        // sticky: a standby that joins does not take the lease from a healthy holder
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumerProperties = consumer;
        Map<String, Object> producer = new HashMap<>(connection);
        producer.put(ProducerConfig.ACKS_CONFIG, "1");
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        this.producerProperties = producer;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "directory-sync-lease");
        thread.setDaemon(true);
        thread.start();
    }

    public boolean held() {
        return held;
    }

    /** Whether the membership thread runs (it only ends on {@link #close()}). */
    public synchronized boolean alive() {
        return thread != null && thread.isAlive();
    }

    /** Gives the lease back and joins the election again, after this instance found itself fenced. */
    public void rejoin() {
        rejoin = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Asks the holder, wherever it runs, to start a delta round. */
    public synchronized void wakeHolder() {
        // a webhook waits for this, and Graph wants its answer within 3 s: send, do not wait for the acknowledgement
        waker().send(new ProducerRecord<>(Topics.DIRECTORY_SYNC_LEASE, tenant, WAKE));
    }

    /** Passes an instruction to the holder, wherever it runs; returns once Kafka has it. */
    public synchronized void tellHolder(String instruction) {
        try {
            waker().send(new ProducerRecord<>(Topics.DIRECTORY_SYNC_LEASE, tenant, instruction)).get(5,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while telling the active instance", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the instruction for the active instance", e);
        }
    }

    private KafkaProducer<String, String> waker() {
        if (waker == null) {
            waker = new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer());
        }
        return waker;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> member = new KafkaConsumer<>(consumerProperties,
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = member;
                member.subscribe(List.of(Topics.DIRECTORY_SYNC_LEASE), new Listener());
                while (running && !rejoin) {
                    try {
                        for (var record : member.poll(Duration.ofMillis(250))) {
                            if (held) {
                                String value = record.value() == null ? WAKE
                                        : new String(record.value(), StandardCharsets.UTF_8);
                                if (value.equals(WAKE)) {
                                    holder.wake();
                                } else {
                                    holder.told(value);
                                }
                            }
                        }
                    } catch (WakeupException e) {
                        // close or rejoin asked for
                    }
                }
                release();
            } catch (RuntimeException e) {
                release();
                log.warn("Lease membership failed, joining again: {}", e.toString());
                pause();
            }
            rejoin = false;
        }
    }

    private void release() {
        if (held) {
            held = false;
            holder.released();
        }
    }

    private void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Tells the holder about assignment changes of the lease partition. */
    private final class Listener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && !held) {
                held = true;
                log.info("This instance holds the directory-sync lease of tenant {}", tenant);
                holder.acquired();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("Directory-sync lease of tenant {} revoked", tenant);
                release();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.warn("Directory-sync lease of tenant {} lost (this instance was silent too long)", tenant);
                release();
            }
        }
    }

    /** Leaves the group, so another member takes over at once. */
    @Override
    public void close() {
        Thread current;
        synchronized (this) {
            running = false;
            current = thread;
            if (waker != null) {
                waker.close(Duration.ofSeconds(2));
            }
        }
        KafkaConsumer<String, byte[]> member = consumer;
        if (member != null) {
            member.wakeup();
        }
        if (current != null) {
            try {
                current.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
