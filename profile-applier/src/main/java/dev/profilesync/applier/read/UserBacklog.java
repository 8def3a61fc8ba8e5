package dev.profilesync.applier.read;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * Which changes of a user are on {@code directory.user-changes} but not yet applied, for the sync-status API, from one
 * shared reader per instance (not a consumer per request). A background consumer tails every partition of the topic
 * from the applier group's committed offset and remembers the key and offset of each record it passes; entries the
 * group has committed past are dropped every second. A request takes the group's committed offsets and the partitions'
 * ends from a round of {@link GroupPositions} that started after it arrived (requests arriving together share one
 * round), waits until the reader has reached that end (it is normally there already), and counts the user's records in
 * between. The reader remembers at most {@code limit} records; past that the partitions
 * it could not follow answer {@code complete = false}. It reads only: it never joins the group nor commits.
 */
@Component
class UserBacklog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UserBacklog.class);

    /** Most records remembered across all partitions (24 bytes each, {@link KeyedOffsets}: some 24 MB at the limit). */
    static final int LIMIT = 1_000_000;
    /** How long a request waits for the reader to reach the partition's end. */
    private static final Duration CATCH_UP = Duration.ofSeconds(1);
    private static final Duration REFRESH = Duration.ofSeconds(1);

    /**
     * @param partition the user's partition
     * @param partitionBacklog records on that partition not yet applied by the group
     * @param queuedForUser of those, the ones for this user (a lower bound when {@code complete} is false)
     * @param complete whether every record of the backlog was looked at
     */
    record Backlog(int partition, long partitionBacklog, int queuedForUser, boolean complete) {
    }

    /** What the reader knows of one partition; guarded by the outer instance. */
    private static final class Tail {
        /** Next offset the reader will read. */
        long position = -1;
        long committed;
        /** Remembered records in offset order. */
        final KeyedOffsets records = new KeyedOffsets();
        boolean paused;
    }

    private final ConsumerFactory<String, byte[]> consumers;
    private final Map<Integer, Tail> tails = new HashMap<>();
    private int remembered;
    private volatile GroupPositions positions;
    private volatile Thread reader;
    private volatile boolean running;
    private volatile Consumer<String, byte[]> consumer;

    UserBacklog(ConsumerFactory<String, byte[]> consumers) {
        this.consumers = consumers;
    }

    Backlog of(String userId) {
        GroupPositions group = positions;
        if (group == null) {
            throw new IllegalStateException("the sync-status reader is not running");
        }
        try {
            GroupPositions.Snapshot now = group.fresh().get(15, TimeUnit.SECONDS);
            if (now.partitions() == 0) {
                throw new IllegalStateException("the topic " + Topics.USER_CHANGES + " has no partitions");
            }
            TopicPartition partition = new TopicPartition(Topics.USER_CHANGES,
                    Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % now.partitions());
            Long committed = now.committed().get(partition);
            return count(partition.partition(), userId, committed == null ? -1 : committed,
                    now.ends().get(partition));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the backlog", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not say where the applier stands: " + e.getMessage(), e);
        }
    }

    /** Counts the user's records in [committed, end) once the reader has got to {@code end}. */
    private synchronized Backlog count(int partition, String userId, long committed, long end)
            throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        Tail tail = tails.get(partition);
        while ((tail == null || tail.position < end) && System.nanoTime() < deadline && running) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            tail = tails.get(partition);
        }
        if (tail == null) {
            return new Backlog(partition, committed < 0 ? end : Math.max(0, end - committed), 0, false);
        }
        long from = committed < 0 ? tail.committed : committed;
        int queued = tail.records.count(userId, from, end);
        // every record at or after the committed offset the reader passed is remembered until committed past
        boolean complete = tail.position >= end && !tail.paused;
        return new Backlog(partition, Math.max(0, end - from), queued, complete);
    }

    /** Rounds of offset requests to Kafka so far (requests arriving together share one). */
    long offsetRounds() {
        GroupPositions group = positions;
        return group == null ? 0 : group.rounds();
    }

    @Override
    public void start() {
        positions = new GroupPositions(consumers, ConsumerGroups.PROFILE_APPLIER, Topics.USER_CHANGES);
        running = true;
        reader = new Thread(this::read, "sync-status-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread thread = reader;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (positions != null) {
            positions.close();
            positions = null;
        }
        synchronized (this) {
            notifyAll();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void read() {
        while (running) {
            Properties overrides = new Properties();
            overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
            try (Consumer<String, byte[]> tailer = consumers.createConsumer(null, "sync-status", null, overrides)) {
                consumer = tailer;
                follow(tailer);
            } catch (WakeupException | InterruptException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("The sync-status reader failed and starts again in 5 s: {}", e.toString());
                synchronized (this) {
                    tails.clear();
                    remembered = 0;
                }
                sleep(5_000);
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(Consumer<String, byte[]> tailer) {
        long nextRefresh = 0;
        while (running) {
            if (System.nanoTime() >= nextRefresh) {
                refresh(tailer);
                nextRefresh = System.nanoTime() + REFRESH.toNanos();
            }
            var records = tailer.poll(Duration.ofMillis(200));
            synchronized (this) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    Tail tail = tails.get(record.partition());
                    if (tail == null || record.offset() < tail.position) {
                        continue;
                    }
                    if (record.offset() >= tail.committed && tail.records.add(record.offset(), record.key())) {
                        remembered++;
                    }
                    tail.position = record.offset() + 1;
                }
                for (Map.Entry<Integer, Tail> entry : tails.entrySet()) {
                    TopicPartition partition = new TopicPartition(Topics.USER_CHANGES, entry.getKey());
                    // the position also moves past transaction markers and aborted records
                    entry.getValue().position = Math.max(entry.getValue().position, tailer.position(partition));
                }
                if (remembered >= LIMIT) {
                    pauseFullest(tailer);
                }
                notifyAll();
            }
        }
    }

    /** New partitions, the group's committed offsets, and forgetting what the group has applied. */
    private void refresh(Consumer<String, byte[]> tailer) {
        List<TopicPartition> partitions = new ArrayList<>();
        tailer.partitionsFor(Topics.USER_CHANGES, Duration.ofSeconds(10))
                .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        if (!Set.copyOf(partitions).equals(tailer.assignment())) {
            tailer.assign(partitions);
        }
        Map<TopicPartition, Long> committed;
        try {
            committed = positions.fresh().get(15, TimeUnit.SECONDS).committed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the applier group's offsets", e);
        }
        Map<TopicPartition, Long> beginnings = tailer.beginningOffsets(partitions);
        synchronized (this) {
            for (TopicPartition partition : partitions) {
                Long offset = committed.get(partition);
                long from = offset == null ? beginnings.get(partition) : offset;
                Tail tail = tails.computeIfAbsent(partition.partition(), p -> new Tail());
                tail.committed = from;
                remembered -= tail.records.forgetBelow(from);
                if (tail.position < from) {
                    tail.position = from;
                    tailer.seek(partition, from);
                }
                if (tail.paused && remembered < LIMIT * 9L / 10) {
                    tailer.resume(List.of(partition));
                    tail.paused = false;
                }
            }
        }
    }

    private void pauseFullest(Consumer<String, byte[]> tailer) {
        for (Map.Entry<Integer, Tail> entry : tails.entrySet()) {
            if (!entry.getValue().paused) {
                tailer.pause(List.of(new TopicPartition(Topics.USER_CHANGES, entry.getKey())));
                entry.getValue().paused = true;
            }
        }
        log.warn("The sync-status reader remembers {} unapplied changes, its limit: it stops following until the "
                + "applier catches up (sync-status answers complete=false meanwhile)", remembered);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
