package dev.profilesync.events;

/**
 * Topic names of the contract. Every topic is keyed by the user's directory object id, so all changes of one user
 * land on one partition and are applied in order by one consumer. Dead letters go to {@code <topic>.dlt}.
 */
public final class Topics {

    /** Every profile field change from every source, and deletions. */
    public static final String USER_CHANGES = "directory.user-changes";

    /** Notices that a user's photo may have changed, or that a photo sync was requested. */
    public static final String PHOTO_CHANGES = "directory.photo-changes";

    private static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
