package dev.profilesync.ingest.http;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.profilesync.events.Violation;

/** A request the intake refuses as a whole; nothing of it is published. */
class IntakeRejectedException extends RuntimeException {

    private final HttpStatus status;
    private final String reason;
    private final List<Violation> violations;

    IntakeRejectedException(HttpStatus status, String reason, String detail, List<Violation> violations) {
        super(detail);
        this.status = status;
        this.reason = reason;
        this.violations = List.copyOf(violations);
    }

    IntakeRejectedException(HttpStatus status, String reason, String detail) {
        this(status, reason, detail, List.of());
    }

    HttpStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }

    List<Violation> violations() {
        return violations;
    }
}
