package dev.profilesync.events;

import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * Topic names of the contract. Every topic is keyed by the user's directory object id, so all changes of one user
 * land on one partition and are applied in order by one consumer. Dead letters go to {@code <topic>.dlt}.
 */
public final class Topics {

    /** Every profile field change from every source, and deletions. */
    public static final String USER_CHANGES = "directory.user-changes";

    /** Notices that a user's photo may have changed, or that a photo sync was requested. */
    public static final String PHOTO_CHANGES = "directory.photo-changes";

    /**
     * change-ingest's own durable state, compacted: the Graph delta link (key {@value #DELTA_LINK_KEY}) and the users
     * it knows with their last photo media etag (key {@code user/<id>}, deleted users as tombstones).
     */
    public static final String INGEST_STATE = "directory.ingest-state";

    /** Key of the Graph users delta link in {@link #INGEST_STATE}. */
    public static final String DELTA_LINK_KEY = "graph/users/deltaLink";

    private static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    /**
     * A topic declaration for a service to create when missing.
     *
     * @param replicationFactor 0 takes the broker's {@code default.replication.factor} (1 locally, 3 in production)
     */
    public static NewTopic declaration(String name, int partitions, short replicationFactor) {
        return new NewTopic(name, Optional.of(partitions),
                replicationFactor == 0 ? Optional.empty() : Optional.of(replicationFactor));
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
