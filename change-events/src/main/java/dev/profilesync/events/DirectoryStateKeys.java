package dev.profilesync.events;

/**
 * Keys of directory-sync's state in the compacted topic {@link Topics#INGEST_STATE}. Only directory-sync writes them;
 * they are part of the contract so that operators and tools can read the state (for example with kcat).
 */
public final class DirectoryStateKeys {

    /** The Graph users delta link of the last complete round. */
    public static final String DELTA_LINK = "graph/users/deltaLink";

    /**
     * Where the round in progress stands: the link of the next page, whether the round is a full synchronisation and
     * its id. Written with every page, so an instance that takes over continues after the last published page.
     */
    public static final String ROUND_CURSOR = "graph/users/cursor";

    /**
     * Deletions a full resynchronisation held back because they were too many ({@code max-deletion-share}): the
     * round's id and the count, until an operator confirms or dismisses them.
     */
    public static final String HELD_DELETIONS = "graph/users/held-deletions";

    /**
     * Where the photo sweep in progress stands: the last user id it checked (users are swept in id order). Written with
     * each batch, so a restart or take-over resumes the sweep instead of starting it again.
     */
    public static final String PHOTO_SWEEP_CURSOR = "graph/photos/sweep-cursor";

    /** The id of the Graph change-notification subscription, so a restart renews it instead of adding one. */
    public static final String SUBSCRIPTION = "graph/subscription";

    /** Prefix of a known user's key, {@code user/<id>}; a deleted user is a tombstone. */
    public static final String USER_PREFIX = "user/";

    /**
     * Header on every record directory-sync publishes: {@code <instance>/<round>/<page>}, which instance published
     * which page of which round. Operators can trace a change to its page; tests check no page was published twice.
     */
    public static final String PAGE_HEADER = "profile-sync-directory-page";

    private DirectoryStateKeys() {
    }

    public static String user(String userId) {
        return USER_PREFIX + userId;
    }
}
