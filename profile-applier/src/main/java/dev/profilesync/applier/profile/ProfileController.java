package dev.profilesync.applier.profile;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.Identifiers;

/** The profile read API: a profile as stored, with when its newest change was observed and applied. */
@RestController
class ProfileController {

    private final ProfileStore store;

    ProfileController(ProfileStore store) {
        this.store = store;
    }

    @GetMapping("/api/v1/profiles/{id}")
    ResponseEntity<?> profile(@PathVariable String id) {
        return Identifiers.userId(id)
                .flatMap(store::find)
                .filter(StoredProfile::present)
                .<ResponseEntity<?>>map(profile -> ResponseEntity.ok(representation(profile)))
                .orElseGet(() -> notFound(id));
    }

    private static Map<String, Object> representation(StoredProfile profile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", profile.userId());
        profile.fields().forEach((field, value) -> body.put(field.jsonName(), value));
        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("lastObservedAt", profile.lastObservedAt());
        sync.put("lastAppliedAt", profile.lastAppliedAt());
        sync.put("lastSource", profile.lastSource());
        sync.put("lastEventId", profile.lastEventId());
        body.put("sync", sync);
        return body;
    }

    private static ResponseEntity<?> notFound(String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no profile with id " + id);
        problem.setType(URI.create("https://profile-sync.dev/problems/profile-not-found"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
}
