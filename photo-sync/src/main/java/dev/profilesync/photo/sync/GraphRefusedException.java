package dev.profilesync.photo.sync;

import dev.profilesync.events.InvalidEventException;

/**
 * Graph refused the photo request for good (400, 401, 403, ...): retrying the same event cannot help, so it is
 * dead-lettered with reason {@value #REASON} and the partition moves on. Throttling and server errors are transient
 * and retried instead.
 */
final class GraphRefusedException extends InvalidEventException {

    static final String REASON = "graph-refused";
    private static final long serialVersionUID = 1L;

    GraphRefusedException(int status, String user, RuntimeException cause) {
        super(REASON, "Graph answered " + status + " to the photo request for " + user);
        initCause(cause);
    }

    /** Whether Graph's answer {@code status} will be the same however often the request is made. */
    static boolean permanent(int status) {
        return status >= 400 && status < 500 && status != 404 && status != 408 && status != 409 && status != 423
                && status != 429;
    }
}
