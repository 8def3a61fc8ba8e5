package dev.profilesync.directory.leader;

/**
 * This instance can no longer publish for its tenant: another instance initialised the tenant's transactional id
 * after it (it took over), so Kafka fenced this producer. Whatever this instance was doing must stop at once.
 */
public final class LeadershipLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LeadershipLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
