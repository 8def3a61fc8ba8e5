package dev.profilesync.directory.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.directory.DirectorySyncProperties;
import jakarta.servlet.http.HttpServletRequest;
import dev.profilesync.directory.graph.DirectoryReader;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Graph change-notification webhook, {@code POST /graph/notifications}. It answers the subscription validation
 * by echoing the token as plain text (only a short token of plain characters: nothing a browser could run is
 * reflected), and for notifications only wakes the directory reader (the active instance, wherever it runs) and
 * replies at once (Graph wants an answer within 3 s). Bodies over {@value #MAX_BODY_BYTES} bytes are refused unread.
 * Notifications whose clientState is not ours are refused and never start a round.
 */
@RestController
class NotificationController {

    /** Graph sends a few notifications per request; anything this large is not from Graph. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final int MAX_TOKEN_LENGTH = 1024;
    /** Graph's validation tokens are plain words and ids; nothing that a browser could run is echoed. */
    private static final java.util.regex.Pattern PLAIN_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9 .:_+/=-]+");

    private final DirectoryReader reader;
    private final byte[] clientState;
    private final MeterRegistry registry;
    private final JsonMapper json = JsonMapper.builder().build();

    NotificationController(DirectoryReader reader, DirectorySyncProperties properties, MeterRegistry registry) {
        this.reader = reader;
        String state = properties.webhook().clientState();
        this.clientState = state == null ? new byte[0] : state.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
    }

    @PostMapping(path = "/graph/notifications", params = "validationToken")
    ResponseEntity<?> validate(@RequestParam String validationToken) {
        if (validationToken.length() > MAX_TOKEN_LENGTH || !PLAIN_TOKEN.matcher(validationToken).matches()) {
            registry.counter("profile_sync_graph_notifications", "outcome", "refused").increment();
            return refused(HttpStatus.BAD_REQUEST, "invalid-validation-token",
                    "a validation token is short plain text; this one is not echoed");
        }
        registry.counter("profile_sync_graph_notifications", "outcome", "validation").increment();
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).header("X-Content-Type-Options", "nosniff")
                .body(validationToken);
    }

    @PostMapping(path = "/graph/notifications", params = "!validationToken")
    ResponseEntity<?> notify(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            registry.counter("profile_sync_graph_notifications", "outcome", "refused").increment();
            return refused(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                    "a notification batch is at most " + MAX_BODY_BYTES + " bytes");
        }
        int accepted = 0;
        int refused = 0;
        try {
            JsonNode notifications = body == null ? null : json.readTree(body).get("value");
            if (notifications != null) {
                for (JsonNode notification : notifications) {
                    if (ours(notification.path("clientState").asString(""))) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
            }
        } catch (RuntimeException e) {
            refused++;
        }
        registry.counter("profile_sync_graph_notifications", "outcome", "accepted").increment(accepted);
        registry.counter("profile_sync_graph_notifications", "outcome", "refused").increment(refused);
        if (accepted == 0) {
            return refused(HttpStatus.FORBIDDEN, "invalid-client-state", "no notification with a valid clientState");
        }
        reader.notified();
        return ResponseEntity.accepted().build();
    }

    private static ResponseEntity<ProblemDetail> refused(HttpStatus status, String reason, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://profile-sync.dev/problems/" + reason));
        problem.setProperty("reason", reason);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private boolean ours(String presented) {
        return clientState.length > 0
                && MessageDigest.isEqual(clientState, presented.getBytes(StandardCharsets.UTF_8));
    }
}
