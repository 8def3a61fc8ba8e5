package dev.profilesync.ingest.http;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.Identifiers;
import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.events.Topics;
import dev.profilesync.ingest.IngestProperties;
import dev.profilesync.ingest.publish.UserEventPublisher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /api/v1/users/{id}/photo:sync}: "start a photo sync" for one user, now instant. It publishes a
 * photo-change event on the priority lane ({@code directory.photo-requests}); photo-sync fetches the photo and renders
 * thumbnails if the photo changed, ahead of any bulk photo work.
 */
@RestController
class PhotoSyncRequestController {

    private final UserEventPublisher publisher;
    private final IngestProperties.Intake settings;
    private final PhotoEventCodec codec = new PhotoEventCodec();
    private final Clock clock = Clock.systemUTC();

    PhotoSyncRequestController(UserEventPublisher publisher, IngestProperties properties) {
        this.publisher = publisher;
        this.settings = properties.intake();
    }

    @PostMapping("/api/v1/users/{id}/photo:sync")
    ResponseEntity<Map<String, Object>> request(@PathVariable String id, HttpServletRequest request) {
        String userId = Identifiers.userId(id).orElseThrow(() -> new IntakeRejectedException(HttpStatus.BAD_REQUEST,
                "invalid-user-id", "the user id must be a directory object id (a GUID)"));
        String client = ApiKeyFilter.clientOf(request).name();
        String source = Identifiers.isSource(client) ? client : "intake";
        PhotoChanged event = new PhotoChanged("photo-sync-request-" + UUID.randomUUID(), userId, source,
                clock.instant(), "requested", null);
        publisher.publishRecords(java.util.List.of(codec.toRecord(event, Topics.PHOTO_REQUESTS)),
                settings.publishTimeout());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("eventId", event.eventId(), "userId", userId));
    }
}
