package dev.profilesync.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;

/**
 * A deterministic stream of directory changes: each changes one to three directory fields of one of {@code users}
 * users, in observed-time order, as Graph delta rounds would produce them.
 */
final class ChangeSet {

    private static final ProfileField[] FIELDS = {ProfileField.DISPLAY_NAME, ProfileField.JOB_TITLE,
        ProfileField.DEPARTMENT, ProfileField.OFFICE_LOCATION, ProfileField.MOBILE_PHONE, ProfileField.CITY,
        ProfileField.MANAGER_ID};
    private static final String[] DEPARTMENTS = {"Sales", "Engineering", "Finance", "Legal", "Support", "Research"};

    private ChangeSet() {
    }

    static List<UserChanged> generate(int changes, int users, long seed) {
        return generate(changes, users, seed, false);
    }

    /**
     * @param eachUserOnce each of {@code users} (= {@code changes}) users changes exactly once, in random order: no
     *        two changes can be merged, as when a caught-up consumer sees one change per user per poll
     */
    static List<UserChanged> generate(int changes, int users, long seed, boolean eachUserOnce) {
        if (eachUserOnce && users != changes) {
            throw new IllegalArgumentException("each user once needs as many users as changes");
        }
        Random random = new Random(seed);
        List<String> ids = ids(users, random);
        return changes(ids, changes, random, Instant.parse("2026-01-01T00:00:00Z"), "bench-", eachUserOnce);
    }

    /** {@code users} user ids drawn from {@code random}, as {@link #generate} makes them. */
    static List<String> ids(int users, Random random) {
        List<String> ids = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
        }
        return ids;
    }

    /**
     * {@code changes} changes of users drawn from {@code ids}, observed from {@code start} one millisecond apart, with
     * event ids {@code prefix} + number.
     */
    static List<UserChanged> changes(List<String> ids, int changes, Random random, Instant start, String prefix,
            boolean eachUserOnce) {
        List<UserChanged> out = new ArrayList<>(changes);
        for (int i = 0; i < changes; i++) {
            Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
            int count = 1 + random.nextInt(3);
            for (int f = 0; f < count; f++) {
                ProfileField field = FIELDS[random.nextInt(FIELDS.length)];
                fields.put(field, field == ProfileField.DEPARTMENT ? DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]
                        : field.jsonName() + "-" + random.nextInt(100_000));
            }
            out.add(new UserChanged(prefix + i, eachUserOnce ? ids.get(i) : ids.get(random.nextInt(ids.size())),
                    "graph", start.plusMillis(i), fields));
        }
        return out;
    }

    /**
     * Sends every change with {@code producer} and flushes; returns the first failure of any send, or null. Sends
     * are asynchronous, so a failure is only known once they are flushed.
     */
    static Exception send(org.apache.kafka.clients.producer.Producer<String, byte[]> producer,
            List<UserChanged> changes) {
        dev.profilesync.events.UserEventCodec codec = new dev.profilesync.events.UserEventCodec();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic
                .AtomicReference<>();
        for (UserChanged change : changes) {
            producer.send(codec.toRecord(change), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        return failure.get();
    }

    /**
     * Produces the changes in one Kafka transaction, so that a read_committed consumer sees none of them before the
     * commit and all of them after; returns {@link System#nanoTime()} at the commit.
     */
    static long sendInTransaction(String bootstrapServers, List<UserChanged> changes) {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        props.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + System.nanoTime());
        props.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(props,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            Exception failure = send(producer, changes);
            if (failure != null) {
                throw new IllegalStateException("producing the change set failed", failure);
            }
            producer.commitTransaction();
            return System.nanoTime();
        }
    }
}
