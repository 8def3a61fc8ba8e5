package dev.profilesync.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.UserEvent;
import dev.profilesync.events.Violation;
import dev.profilesync.ingest.IngestProperties;
import dev.profilesync.ingest.publish.UserEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /api/v1/changes}: a batch of user changes from another service. The reply is 202 only after Kafka
 * acknowledged every change of the batch; any rejection publishes nothing.
 */
@RestController
class ChangeIntakeController {

    private final IngestProperties.Intake settings;
    private final ChangeBatchReader reader;
    private final UserEventPublisher publisher;
    private final MeterRegistry registry;

    ChangeIntakeController(IngestProperties properties, UserEventPublisher publisher, MeterRegistry registry) {
        this.settings = properties.intake();
        this.reader = new ChangeBatchReader(settings.maxBatchSize(), Clock.systemUTC(), settings.maxClockSkew());
        this.publisher = publisher;
        this.registry = registry;
    }

    @PostMapping(path = "/api/v1/changes", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> accept(HttpServletRequest request) throws IOException {
        IngestProperties.ApiClient caller = ApiKeyFilter.clientOf(request);
        String client = caller.name();
        List<UserEvent> events;
        try {
            events = reader.read(boundedBody(request));
            claimsOnly(caller, events);
        } catch (IntakeRejectedException e) {
            registry.counter("profile_sync_ingest_batches_total", "channel", "http", "client", client, "outcome",
                    e.reason()).increment();
            throw e;
        }
        publisher.publishAll(events, settings.publishTimeout());
        registry.counter("profile_sync_ingest_batches_total", "channel", "http", "client", client, "outcome",
                "accepted").increment();
        registry.counter("profile_sync_ingest_changes_total", "channel", "http").increment(events.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of(
                "accepted", events.size(),
                "eventIds", events.stream().map(UserEvent::eventId).toList()));
    }

    /** A client writes only as the sources it owns: a change claiming any other source refuses the batch. */
    private static void claimsOnly(IngestProperties.ApiClient client, List<UserEvent> events) {
        List<Violation> refused = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String source = events.get(i).source();
            if (!client.sources().contains(source)) {
                refused.add(new Violation("/changes/" + i, "source-not-allowed",
                        "client " + client.name() + " may not claim source '" + source + "'"));
            }
        }
        if (!refused.isEmpty()) {
            throw new IntakeRejectedException(HttpStatus.FORBIDDEN, "source-not-allowed", refused.size()
                    + " change(s) claim a source this client does not own; nothing was published", refused);
        }
    }

    private byte[] boundedBody(HttpServletRequest request) throws IOException {
        long limit = settings.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static IntakeRejectedException tooLarge(long limit) {
        return new IntakeRejectedException(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                "the request body is larger than " + limit + " bytes; split the batch");
    }
}
