package dev.profilesync.ingest.http;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The problem details Spring MVC writes itself (wrong method, unsupported content type, unknown path, unreadable
 * request) get the same machine-readable {@code reason} and {@code type} as the intake's own, so a client can always
 * branch on {@code reason}.
 */
@RestControllerAdvice
class FrameworkProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("reason"))) {
            String reason = reasonOf(statusCode);
            problem.setType(URI.create(IntakeProblems.TYPE_BASE + reason));
            problem.setProperty("reason", reason);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /** {@code 415 Unsupported Media Type} becomes {@code unsupported-media-type}. */
    static String reasonOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value()
                : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
