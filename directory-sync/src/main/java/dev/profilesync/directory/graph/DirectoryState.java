package dev.profilesync.directory.graph;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.profilesync.events.DirectoryStateKeys;
import dev.profilesync.events.Topics;

/**
 * What the directory reader must remember across restarts and take-overs, kept in the compacted topic
 * {@code directory.ingest-state}: the delta link of the last complete round, where the round in progress stands
 * ({@link Cursor}), the change-notification subscription, and every directory user it knows with the photo media etag
 * last seen and the last full round that listed it. Changes to it are records that the caller publishes in the same
 * transaction as the events they describe, so the state never runs ahead of what Kafka has, and an instance that
 * takes over continues exactly after the last page its predecessor published.
 */
final class DirectoryState {

    private static final char SEPARATOR = '\n';

    private String deltaLink;
    private Cursor cursor;
    private String subscriptionId;
    private HeldDeletions held;
    private String sweepCursor;
    /** Per known user: the photo etag ("" for none) and the id of the last full round that listed it. */
    private final KnownUsers users = new KnownUsers();

    /**
     * The round in progress.
     *
     * @param roundId identifies the round (and, in a full round, marks the users it listed)
     * @param full whether the round is a full synchronisation
     * @param nextLink the next page to read; null once every page is published and only the finish remains
     * @param finalDeltaLink the delta link the round ends with, once its last page is published
     * @param pages pages published so far in this round
     */
    record Cursor(String roundId, boolean full, String nextLink, String finalDeltaLink, int pages) {

        String encode() {
            return String.join(String.valueOf(SEPARATOR), roundId, full ? "full" : "delta",
                    nextLink == null ? "" : nextLink, finalDeltaLink == null ? "" : finalDeltaLink,
                    String.valueOf(pages));
        }

        static Cursor decode(String text) {
            String[] parts = text.split(String.valueOf(SEPARATOR), -1);
            if (parts.length != 5) {
                return null;
            }
            return new Cursor(parts[0], parts[1].equals("full"), parts[2].isEmpty() ? null : parts[2],
                    parts[3].isEmpty() ? null : parts[3], Integer.parseInt(parts[4]));
        }
    }

    /** Deletions a full round held back: the round whose unlisted users they are, and how many there were. */
    record HeldDeletions(String roundId, int count) {

        String encode() {
            return roundId + SEPARATOR + count;
        }

        static HeldDeletions decode(String text) {
            int split = text.indexOf(SEPARATOR);
            return split < 0 ? null : new HeldDeletions(text.substring(0, split),
                    Integer.parseInt(text.substring(split + 1)));
        }
    }

    /** Reads the whole state topic (committed records only); call once an instance has become the active one. */
    static DirectoryState load(Map<String, Object> consumerProperties) {
        DirectoryState state = new DirectoryState();
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST_STATE, Duration.ofSeconds(30))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    state.apply(record.key(), record.value());
                }
            }
        }
        return state;
    }

    private void apply(String key, byte[] bytes) {
        String value = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        if (DirectoryStateKeys.DELTA_LINK.equals(key)) {
            deltaLink = value;
        } else if (DirectoryStateKeys.ROUND_CURSOR.equals(key)) {
            cursor = value == null ? null : Cursor.decode(value);
        } else if (DirectoryStateKeys.SUBSCRIPTION.equals(key)) {
            subscriptionId = value;
        } else if (DirectoryStateKeys.PHOTO_SWEEP_CURSOR.equals(key)) {
            sweepCursor = value;
        } else if (DirectoryStateKeys.HELD_DELETIONS.equals(key)) {
            held = value == null ? null : HeldDeletions.decode(value);
        } else if (key != null && key.startsWith(DirectoryStateKeys.USER_PREFIX)) {
            String id = key.substring(DirectoryStateKeys.USER_PREFIX.length());
            if (value == null) {
                users.remove(id);
            } else {
                int split = value.indexOf(SEPARATOR);
                // written before full rounds marked users: the value is the etag alone
                if (split < 0) {
                    users.put(id, value, "");
                } else {
                    users.put(id, value.substring(split + 1), value.substring(0, split));
                }
            }
        }
    }

    String deltaLink() {
        return deltaLink;
    }

    Cursor cursor() {
        return cursor;
    }

    String subscriptionId() {
        return subscriptionId;
    }

    /** The last user id the photo sweep in progress checked; null when no sweep is in progress. */
    String sweepCursor() {
        return sweepCursor;
    }

    /** Moves the photo sweep's cursor; null ends the sweep. */
    ProducerRecord<String, byte[]> saveSweepCursor(String lastChecked) {
        return record(DirectoryStateKeys.PHOTO_SWEEP_CURSOR, lastChecked);
    }

    /** Deletions held back for an operator, or null. */
    HeldDeletions heldDeletions() {
        return held;
    }

    ProducerRecord<String, byte[]> saveHeldDeletions(HeldDeletions deletions) {
        return record(DirectoryStateKeys.HELD_DELETIONS, deletions == null ? null : deletions.encode());
    }

    boolean knows(String userId) {
        return users.contains(userId);
    }

    /** The photo media etag last seen, "" for none or not yet looked at. */
    String etag(String userId) {
        String etag = users.etag(userId);
        return etag == null ? "" : etag;
    }

    /** Whether the full round {@code roundId} listed the user. */
    boolean listedIn(String userId, String roundId) {
        return roundId.equals(users.round(userId));
    }

    /** How many users are known. */
    int userCount() {
        return users.size();
    }

    /** Calls {@code action} with every known user id (no copy of the set is made; do not change it meanwhile). */
    void forEachUser(java.util.function.Consumer<String> action) {
        users.forEach(action);
    }

    /** The known users after {@code after} in id order, handed out a chunk at a time (16 bytes a user). */
    KnownUsers.SortedIds usersAfter(String after) {
        return users.sortedAfter(after);
    }

    ProducerRecord<String, byte[]> saveDeltaLink(String link) {
        return record(DirectoryStateKeys.DELTA_LINK, link);
    }

    ProducerRecord<String, byte[]> saveCursor(Cursor next) {
        return record(DirectoryStateKeys.ROUND_CURSOR, next == null ? null : next.encode());
    }

    ProducerRecord<String, byte[]> saveSubscription(String id) {
        return record(DirectoryStateKeys.SUBSCRIPTION, id);
    }

    /** Remembers a user with a new etag, keeping the full round that last listed it. */
    ProducerRecord<String, byte[]> rememberEtag(String userId, String etag) {
        String round = users.round(userId);
        return rememberUser(userId, etag, round == null ? "" : round);
    }

    /** Remembers a user as listed by the full round {@code roundId}, keeping its etag. */
    ProducerRecord<String, byte[]> markListed(String userId, String roundId) {
        return rememberUser(userId, etag(userId), roundId);
    }

    private ProducerRecord<String, byte[]> rememberUser(String userId, String etag, String roundId) {
        return record(DirectoryStateKeys.user(userId), roundId + SEPARATOR + (etag == null ? "" : etag));
    }

    ProducerRecord<String, byte[]> forgetUser(String userId) {
        return record(DirectoryStateKeys.user(userId), null);
    }

    /** Applies records to this in-memory view once they are committed. */
    void committed(List<ProducerRecord<String, byte[]>> records) {
        for (ProducerRecord<String, byte[]> record : records) {
            if (Topics.INGEST_STATE.equals(record.topic())) {
                apply(record.key(), record.value());
            }
        }
    }

    private static ProducerRecord<String, byte[]> record(String key, String value) {
        return new ProducerRecord<>(Topics.INGEST_STATE, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
