package dev.profilesync.ingest.http;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.profilesync.ingest.publish.PublishFailedException;

/**
 * Turns intake failures into RFC 9457 problem details: {@code type} names the reason, {@code errors} lists every
 * offending value by JSON pointer.
 */
@RestControllerAdvice(assignableTypes = {ChangeIntakeController.class, PhotoSyncRequestController.class})
class IntakeProblems {

    static final String TYPE_BASE = "https://profile-sync.dev/problems/";
    private static final Logger log = LoggerFactory.getLogger(IntakeProblems.class);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rejected(IntakeRejectedException e) {
        ProblemDetail problem = problem(e.status(), e.reason(), e.getMessage());
        if (!e.violations().isEmpty()) {
            problem.setProperty("errors", e.violations());
        }
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(PublishFailedException e) {
        log.warn("Intake batch not published: {}", e.getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable",
                "Kafka did not acknowledge the batch, so none of it was published; retry with the same eventIds");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
    }

    static ProblemDetail problem(HttpStatus status, String reason, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + reason));
        problem.setProperty("reason", reason);
        return problem;
    }
}
