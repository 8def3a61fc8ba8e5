package dev.profilesync.directory.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.directory.DirectorySyncProperties;
import dev.profilesync.directory.graph.DirectoryReader;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Graph change-notification webhook, {@code POST /graph/notifications}. It answers the subscription validation
 * by echoing the token as plain text, and for notifications only wakes the directory reader (the active instance, wherever it runs) and replies at once (Graph wants
 * an answer within 3 s). Notifications whose clientState is not ours are refused and never start a round.
 */
@RestController
class NotificationController {

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

    @PostMapping(path = "/graph/notifications", params = "validationToken", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> validate(@RequestParam String validationToken) {
        registry.counter("profile_sync_graph_notifications", "outcome", "validation").increment();
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(validationToken);
    }

    @PostMapping(path = "/graph/notifications", params = "!validationToken")
    ResponseEntity<?> notify(@RequestBody(required = false) byte[] body) {
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
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "no notification with a valid clientState");
            problem.setType(URI.create("https://profile-sync.dev/problems/invalid-client-state"));
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem);
        }
        reader.notified();
        return ResponseEntity.accepted().build();
    }

    private boolean ours(String presented) {
        return clientState.length > 0
                && MessageDigest.isEqual(clientState, presented.getBytes(StandardCharsets.UTF_8));
    }
}
