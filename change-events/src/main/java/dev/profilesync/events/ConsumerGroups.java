package dev.profilesync.events;

import java.util.List;
import java.util.Locale;

/**
 * Every consumer-group id of the system, like the topic names a part of the contract: the listener that joins a group,
 * the monitor that measures its lag and the read side that looks at its committed offsets all take the id from here.
 */
public final class ConsumerGroups {

    /** profile-applier on {@link Topics#USER_CHANGES}. */
    public static final String PROFILE_APPLIER = "profile-applier";

    /** photo-sync on {@link Topics#PHOTO_CHANGES}. */
    public static final String PHOTO_SYNC = "photo-sync";

    /** photo-sync's priority lane on {@link Topics#PHOTO_REQUESTS}. */
    public static final String PHOTO_SYNC_REQUESTS = "photo-sync-requests";

    /** The dead-letter replay of profile-applier: how far replay has got on the dead-letter topic. */
    public static final String PROFILE_APPLIER_DEAD_LETTER_REPLAY = "profile-applier-dlt-replay";

    private static final String DIRECTORY_SYNC_PREFIX = "directory-sync.";

    /**
     * How change-ingest's transactional ids begin ({@code spring.kafka.producer.transaction-id-prefix} is this plus a
     * random id per instance, so instances never fence each other); its ACL is granted on this prefix.
     */
    public static final String INTAKE_TRANSACTIONAL_ID_PREFIX = "change-ingest-";

    /**
     * How profile-applier's snapshot producers' transactional ids begin: this, then the input topic and partition
     * (one transactional producer per input partition, the same id whichever instance owns the partition, so the new
     * owner fences a dead one's open transaction at once). A poll's snapshots and offsets commit in one transaction.
     */
    public static final String SNAPSHOT_TRANSACTIONAL_ID_PREFIX = "profile-applier-snapshots-";

    /** A consumer group and the topic it consumes, as the lag monitor watches it. */
    public record Watched(String group, String topic) {
    }

    /**
     * The groups whose lag is sync delay: the applier on user changes, photo-sync on photo changes and on requested
     * photo syncs.
     */
    public static final List<Watched> WATCHED = List.of(new Watched(PROFILE_APPLIER, Topics.USER_CHANGES),
            new Watched(PHOTO_SYNC, Topics.PHOTO_CHANGES), new Watched(PHOTO_SYNC_REQUESTS, Topics.PHOTO_REQUESTS));

    private ConsumerGroups() {
    }

    /**
     * The lease group of directory-sync for one tenant: its members compete for the single partition of
     * {@link Topics#DIRECTORY_SYNC_LEASE}, and the one holding it is the active reader of that tenant.
     */
    public static String directorySync(String tenant) {
        return DIRECTORY_SYNC_PREFIX + tenantKey(tenant);
    }

    /**
     * The transactional id of the active directory-sync of one tenant. It is fixed per tenant, so an instance that
     * takes over fences every earlier producer of that tenant: a paused instance that comes back cannot publish.
     */
    public static String directorySyncTransactionalId(String tenant) {
        return "directory-sync-" + tenantKey(tenant);
    }

    private static String tenantKey(String tenant) {
        String key = tenant == null || tenant.isBlank() ? "default" : tenant.trim().toLowerCase(Locale.ROOT);
        if (!key.matches("[a-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("a tenant key is letters, digits, '.', '_' or '-': " + tenant);
        }
        return key;
    }
}
