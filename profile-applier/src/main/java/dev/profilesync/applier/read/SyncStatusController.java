package dev.profilesync.applier.read;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.Identifiers;

/**
 * {@code GET /api/v1/profiles/{id}/sync-status}: when the user's newest change was observed at its source, when it
 * was applied, the delay between the two, and whether changes for the user are still queued in Kafka.
 */
@RestController
class SyncStatusController {

    private final ProfileQueries store;
    private final UserBacklog backlog;

    SyncStatusController(ProfileQueries store, UserBacklog backlog) {
        this.store = store;
        this.backlog = backlog;
    }

    @GetMapping("/api/v1/profiles/{id}/sync-status")
    ResponseEntity<?> status(@PathVariable String id) {
        Optional<String> userId = Identifiers.userId(id);
        if (userId.isEmpty()) {
            return ProfileController.problem(HttpStatus.NOT_FOUND, "profile-not-found", "no profile with id " + id);
        }
        Optional<ProfileQueries.SyncState> stored = store.syncState(userId.get());
        UserBacklog.Backlog queued = backlog.of(userId.get());
        if (stored.isEmpty() && queued.queuedForUser() == 0) {
            return ProfileController.problem(HttpStatus.NOT_FOUND, "profile-not-found",
                    "no profile with id " + id + " and no change for it queued");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId.get());
        body.put("state", state(stored, queued));
        stored.ifPresent(profile -> {
            body.put("lastObservedAt", dev.profilesync.events.Rfc3339.format(profile.lastObservedAt()));
            body.put("lastAppliedAt", dev.profilesync.events.Rfc3339.format(profile.lastAppliedAt()));
            body.put("delaySeconds", profile.lastDelayMillis() / 1000.0);
            body.put("lastSource", profile.lastSource());
            body.put("lastEventId", profile.lastEventId());
        });
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("partition", queued.partition());
        kafka.put("partitionBacklog", queued.partitionBacklog());
        kafka.put("queuedChanges", queued.queuedForUser());
        kafka.put("scanComplete", queued.complete());
        body.put("queue", kafka);
        return ResponseEntity.ok(body);
    }

    private static String state(Optional<ProfileQueries.SyncState> stored, UserBacklog.Backlog queued) {
        if (queued.queuedForUser() > 0) {
            return "pending";
        }
        if (!queued.complete()) {
            return "catching-up";
        }
        return stored.map(ProfileQueries.SyncState::present).orElse(false) ? "in-sync" : "deleted";
    }
}
