package dev.profilesync.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the contract, declared once: its name, how many partitions it gets, whether it is compacted and
 * whether it has a dead-letter twin {@code <topic>.dlt}. The contract topics are keyed by the user's directory object
 * id, so all changes of one user land on one partition and are applied in order by one consumer. Services create the
 * topics they use from these declarations ({@link #newTopics}); no topic name is written anywhere else.
 */
public final class Topics {

    /** Every profile field change from every source, and deletions. */
    public static final String USER_CHANGES = "directory.user-changes";

    /** Notices that a user's photo may have changed, or that a photo sync was requested. */
    public static final String PHOTO_CHANGES = "directory.photo-changes";

    /**
     * The photo priority lane: photo syncs somebody asked for ({@code POST /api/v1/users/{id}/photo:sync}). photo-sync
     * reads it with its own consumers and serves it before any bulk photo work, so a request never waits behind the
     * new-user and sweep backlog of {@link #PHOTO_CHANGES}.
     */
    public static final String PHOTO_REQUESTS = "directory.photo-requests";

    /**
     * directory-sync's own durable state, compacted: the Graph delta position and the users it knows with their last
     * photo media etag. Keys are in {@link DirectoryStateKeys}.
     */
    public static final String INGEST_STATE = "directory.ingest-state";

    /**
     * The lease of the active directory-sync instance: one partition, never written. The instance of the consumer
     * group {@link ConsumerGroups#directorySync} that is assigned it is the active one.
     */
    public static final String DIRECTORY_SYNC_LEASE = "directory.sync-lease";

    /**
     * Profiles out, compacted: key = user id, value = the whole profile as the read API shows it (schema
     * {@code profile-snapshot.v1.schema.json}, CloudEvents type {@value ProfileSnapshots#TYPE}), a tombstone when
     * the user is deleted. profile-applier publishes the snapshot of every user of a poll after the store commit, in
     * one Kafka transaction with the poll's offsets.
     */
    public static final String PROFILE_SNAPSHOTS = "profile.snapshots";

    private static final String DEAD_LETTER_SUFFIX = ".dlt";

    /**
     * How one topic is created.
     *
     * @param partitions fixed partition count, or 0 to take the operator's setting ({@code topics.partitions})
     * @param compacted whether the log is compacted (state, not events)
     * @param deadLetters whether records that cannot be processed go to its twin {@code <name>.dlt}
     */
    public record Declaration(String name, int partitions, boolean compacted, boolean deadLetters) {

        /** The dead-letter twin's name. */
        public String deadLetterTopic() {
            if (!deadLetters) {
                throw new IllegalStateException(name + " has no dead-letter topic");
            }
            return deadLetterOf(name);
        }
    }

    public static final Declaration USER_CHANGES_TOPIC = new Declaration(USER_CHANGES, 0, false, true);
    public static final Declaration PHOTO_CHANGES_TOPIC = new Declaration(PHOTO_CHANGES, 0, false, true);
    public static final Declaration PHOTO_REQUESTS_TOPIC = new Declaration(PHOTO_REQUESTS, 0, false, true);
    public static final Declaration INGEST_STATE_TOPIC = new Declaration(INGEST_STATE, 1, true, false);
    public static final Declaration DIRECTORY_SYNC_LEASE_TOPIC = new Declaration(DIRECTORY_SYNC_LEASE, 1, false,
            false);
    public static final Declaration PROFILE_SNAPSHOTS_TOPIC = new Declaration(PROFILE_SNAPSHOTS, 0, true, false);

    /** Every topic of the contract. */
    public static final List<Declaration> ALL = List.of(USER_CHANGES_TOPIC, PHOTO_CHANGES_TOPIC, PHOTO_REQUESTS_TOPIC,
            INGEST_STATE_TOPIC,
            DIRECTORY_SYNC_LEASE_TOPIC, PROFILE_SNAPSHOTS_TOPIC);

    private Topics() {
    }

    /**
     * The topics to create for these declarations, dead-letter twins included (a twin gets as many partitions as its
     * topic, so dead letters stay keyed like the originals).
     *
     * @param partitions partitions of a topic whose declaration leaves it to the operator
     * @param replicationFactor 0 takes the broker's {@code default.replication.factor} (1 locally, 3 in production)
     */
    public static NewTopic[] newTopics(int partitions, short replicationFactor, Declaration... declarations) {
        List<NewTopic> topics = new ArrayList<>();
        for (Declaration declaration : declarations) {
            int count = declaration.partitions() > 0 ? declaration.partitions() : partitions;
            NewTopic topic = newTopic(declaration.name(), count, replicationFactor);
            if (declaration.compacted()) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(topic);
            if (declaration.deadLetters()) {
                topics.add(newTopic(declaration.deadLetterTopic(), count, replicationFactor));
            }
        }
        return topics.toArray(NewTopic[]::new);
    }

    private static NewTopic newTopic(String name, int partitions, short replicationFactor) {
        return new NewTopic(name, Optional.of(partitions),
                replicationFactor == 0 ? Optional.empty() : Optional.of(replicationFactor));
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** The topic a dead-letter topic belongs to, if {@code deadLetterTopic} is the twin of a contract topic. */
    public static Optional<Declaration> ofDeadLetterTopic(String deadLetterTopic) {
        return ALL.stream().filter(Declaration::deadLetters)
                .filter(d -> d.deadLetterTopic().equals(deadLetterTopic)).findFirst();
    }
}
