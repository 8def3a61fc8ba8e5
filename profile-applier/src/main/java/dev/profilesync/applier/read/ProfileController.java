package dev.profilesync.applier.read;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.applier.ApplierProperties;
import dev.profilesync.applier.ApplierProperties.PhotoLinkSettings;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;
import dev.profilesync.support.security.PhotoLinks;

/** The profile read API: one profile as stored, or a page of profiles found by text and department. */
@RestController
class ProfileController {

    static final int MAX_PAGE_SIZE = 200;

    private final ProfileQueries store;
    private final PhotoLinkSettings linkSettings;
    private final PhotoLinks links;

    ProfileController(ProfileQueries store, ApplierProperties properties) {
        this.store = store;
        this.linkSettings = properties.photoLinks();
        this.links = linkSettings.enabled()
                ? new PhotoLinks(linkSettings.secret(), linkSettings.lifetime(), Clock.systemUTC())
                : null;
    }

    @GetMapping("/api/v1/profiles/{id}")
    ResponseEntity<?> profile(@PathVariable String id) {
        return Identifiers.userId(id)
                .flatMap(store::view)
                .filter(StoredProfile::present)
                .<ResponseEntity<?>>map(profile -> ResponseEntity.ok(representation(profile)))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "profile-not-found", "no profile with id " + id));
    }

    /**
     * A page of present profiles, in display-name order. The first page comes without {@code cursor}; each page that
     * has more carries {@code next}, the cursor of the following page (keyset paging: every page costs the same, and a
     * profile added or removed meanwhile neither repeats nor skips one). {@code page} (offset paging) still works for
     * clients written before cursors.
     */
    @GetMapping("/api/v1/profiles")
    ResponseEntity<?> search(@RequestParam(required = false) String query,
            @RequestParam(required = false) String department, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size, @RequestParam(required = false) String cursor) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            return problem(HttpStatus.BAD_REQUEST, "invalid-page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        ProfileQueries.After after = null;
        if (cursor != null && !cursor.isEmpty()) {
            after = Cursors.decode(cursor).orElse(null);
            if (after == null || page != 0) {
                return problem(HttpStatus.BAD_REQUEST, "invalid-cursor", after == null
                        ? "cursor is not one this API handed out (take it from a page's next)"
                        : "give either cursor or page, not both");
            }
        }
        List<StoredProfile> found = store.search(query, department, after, Math.multiplyExact(page, size), size + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        List<StoredProfile> items = found.stream().limit(size).toList();
        body.put("items", items.stream().map(this::representation).toList());
        body.put("page", page);
        body.put("size", size);
        body.put("hasMore", found.size() > size);
        if (found.size() > size) {
            StoredProfile last = items.get(items.size() - 1);
            body.put("next", Cursors.encode(last));
        }
        return ResponseEntity.ok(body);
    }

    private Map<String, Object> representation(StoredProfile profile) {
        Map<String, Object> body = ProfileJson.of(profile);
        Object photoUrl = profile.fields().get(ProfileField.PHOTO_URL);
        if (links != null && photoUrl instanceof String base && !base.isEmpty()) {
            Instant expiry = links.expiry();
            Map<String, Object> photo = new LinkedHashMap<>();
            for (String size : linkSettings.sizes()) {
                photo.put(size, links.sign(base, profile.userId(), size, expiry));
            }
            photo.put("expiresAt", dev.profilesync.events.Rfc3339.format(expiry));
            body.put("photo", photo);
        }
        return body;
    }

    static ResponseEntity<?> problem(HttpStatus status, String reason, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://profile-sync.dev/problems/" + reason));
        problem.setProperty("reason", reason);
        return ResponseEntity.status(status).body(problem);
    }
}
