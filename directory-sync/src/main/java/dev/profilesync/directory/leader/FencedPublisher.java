package dev.profilesync.directory.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.profilesync.events.ConsumerGroups;

/**
 * The active instance's only way to publish: a transactional producer whose id is fixed per tenant. Creating one
 * ({@link #open}) initialises that id, which aborts whatever transaction an earlier holder left open and fences its
 * producer for good, so after a take-over a paused instance that wakes up cannot publish anything. Each
 * {@link #publish} is one transaction: all records or none.
 */
public final class FencedPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    private FencedPublisher(KafkaProducer<String, byte[]> producer, Duration timeout) {
        this.producer = producer;
        this.timeout = timeout;
    }

    /**
     * Opens the tenant's publisher, fencing every earlier one.
     *
     * @param producerProperties connection settings (bootstrap servers, security)
     */
    public static FencedPublisher open(Map<String, Object> producerProperties, String tenant, Duration timeout) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ConsumerGroups.directorySyncTransactionalId(tenant));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a full load's transaction carries some 6,000 records over every partition: batches of 256 kB instead of
        // the default 16 kB are a tenth of the requests for the broker to validate and append
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis() * 3, 30_000));
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        // A transaction that starts right after the last one committed may be answered CONCURRENT_TRANSACTIONS until
        // the coordinator has written the last one's markers; with the default 100 ms back-off every page of a round
        // waited 100 ms for it (a million-user load is 5,000 pages). Ask again after 5 ms.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new FencedPublisher(producer, timeout);
    }

    /**
     * Publishes the records in one transaction and waits until all in-sync replicas have them.
     *
     * @throws LeadershipLostException another instance took over; this publisher is unusable
     * @throws KafkaException Kafka did not take the transaction (it was aborted); retry later
     */
    public void publish(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> record : records) {
                sends.add(producer.send(record));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new LeadershipLostException("another directory-sync instance took over this tenant", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new KafkaException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                throw new LeadershipLostException("another directory-sync instance took over this tenant", cause);
            }
            abort();
            throw new KafkaException("Kafka did not take the transaction: " + cause, cause);
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new LeadershipLostException("another directory-sync instance took over this tenant", e);
        } catch (KafkaException e) {
            // the transaction times out on the broker; the next publish fails and the caller starts over
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
