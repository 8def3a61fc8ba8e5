package dev.profilesync.events;

import java.util.List;

/**
 * A record that can never be applied, whatever is retried: it belongs in the dead-letter topic with {@link #reason()}
 * in its headers.
 */
public class InvalidEventException extends RuntimeException {

    private final String reason;
    private final List<Violation> violations;

    public InvalidEventException(String reason, String message) {
        this(reason, message, List.of());
    }

    public InvalidEventException(String reason, String message, List<Violation> violations) {
        super(message);
        this.reason = reason;
        this.violations = List.copyOf(violations);
    }

    /** Machine-readable reason code, e.g. {@code unknown-type} or {@code schema-invalid}. */
    public String reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }
}
