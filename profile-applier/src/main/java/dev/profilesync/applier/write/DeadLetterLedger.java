package dev.profilesync.applier.write;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Remembers which records this instance already dead-lettered, and how often a poll failed for a reason nobody could
 * classify. When a poll is retried (after a transient failure, or a failure that is tried again), its dead letters
 * are not sent a second time. Bounded: the oldest entries go first, long after their offsets were committed.
 */
final class DeadLetterLedger {

    private static final int CAPACITY = 100_000;

    private volatile boolean anyDeadLettered;

    private final Map<String, Integer> entries = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Notes that {@code record} is in the dead-letter topic (acknowledged). */
    synchronized void markDeadLettered(ConsumerRecord<?, ?> record) {
        entries.put("dlt:" + key(record), 1);
        anyDeadLettered = true;
    }

    /** Whether {@code record} was dead-lettered by this instance. */
    boolean deadLettered(ConsumerRecord<?, ?> record) {
        // asked for every record of every poll: no key and no lock until something was dead-lettered at all
        if (!anyDeadLettered) {
            return false;
        }
        synchronized (this) {
            return entries.containsKey("dlt:" + key(record));
        }
    }

    /** Counts a failed try of the poll starting at {@code first}; returns the tries so far. */
    synchronized int failedTry(ConsumerRecord<?, ?> first) {
        return entries.merge("try:" + key(first), 1, Integer::sum);
    }

    private static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
