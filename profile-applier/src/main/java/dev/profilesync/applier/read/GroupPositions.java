package dev.profilesync.applier.read;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Where a consumer group stands on a topic and where the topic ends, read for many callers at once. One thread owns one
 * Kafka consumer (it carries the group's id to ask for its committed offsets, but never subscribes, joins or commits)
 * and, whenever somebody is waiting, asks the brokers for every partition's end (the last stable offset: what a
 * read-committed reader can see) and the group's committed offsets: two requests, however many callers. A caller gets
 * the answer of a round that started after it asked, so a record committed before the call is always counted; callers
 * arriving while a round is under way share the next one. The topic's partitions are assigned to the consumer (never
 * polled), so its metadata, the partitions' leaders and the group's coordinator stay cached, where a request through
 * the admin client would look them up again.
 */
final class GroupPositions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupPositions.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One round's answer.
     *
     * @param ends per partition, the offset after the last record a read-committed reader can see
     * @param committed per partition, the group's committed offset; partitions it never committed are absent
     */
    record Snapshot(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {

        int partitions() {
            return ends.size();
        }
    }

    private final String topic;
    private final Consumer<?, ?> consumer;
    private final Thread thread;
    private CompletableFuture<Snapshot> next = new CompletableFuture<>();
    private boolean wanted;
    private boolean closed;
    private long rounds;

    GroupPositions(ConsumerFactory<?, ?> consumers, String group, String topic) {
        this.topic = topic;
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = consumers.createConsumer(group, "group-positions", null, overrides);
        this.thread = new Thread(this::run, "group-positions-" + group);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The answer of the next round to start; it fails when the brokers did not answer within the call timeout. */
    synchronized CompletableFuture<Snapshot> fresh() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        wanted = true;
        notifyAll();
        return next;
    }

    /** Rounds asked of the brokers so far. */
    synchronized long rounds() {
        return rounds;
    }

    private void run() {
        while (true) {
            CompletableFuture<Snapshot> round;
            synchronized (this) {
                while (!wanted && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    next.completeExceptionally(new IllegalStateException("closed"));
                    break;
                }
                wanted = false;
                round = next;
                next = new CompletableFuture<>();
                rounds++;
            }
            try {
                round.complete(ask());
            } catch (RuntimeException e) {
                log.debug("Kafka did not say where the group stands: {}", e.toString());
                round.completeExceptionally(e);
            }
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("closing the group-positions consumer: {}", e.toString());
        }
    }

    private Snapshot ask() {
        Set<TopicPartition> partitions = consumer.partitionsFor(topic, CALL_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).collect(Collectors.toSet());
        if (!partitions.equals(consumer.assignment())) {
            // assigned (never polled): the consumer keeps the topic's metadata and leaders cached, where for a topic
            // it neither subscribes to nor is assigned it would fetch metadata again on every call
            consumer.assign(partitions);
        }
        Map<TopicPartition, Long> ends = Map.copyOf(consumer.endOffsets(partitions, CALL_TIMEOUT));
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : consumer.committed(partitions, CALL_TIMEOUT)
                .entrySet()) {
            if (entry.getValue() != null) {
                committed.put(entry.getKey(), entry.getValue().offset());
            }
        }
        return new Snapshot(ends, Map.copyOf(committed));
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
