package dev.profilesync.photo.store;

import java.time.Duration;
import java.util.Set;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.Identifiers;
import dev.profilesync.photo.PhotoSyncProperties;

/**
 * {@code GET /api/v1/photos/{userId}/{size}}: a thumbnail with an ETag of its version; {@code If-None-Match} with
 * that ETag answers 304. Clients may cache for a few minutes and revalidate after.
 */
@RestController
class PhotoController {

    private final PhotoStore store;
    private final Set<String> sizes;

    PhotoController(PhotoStore store, PhotoSyncProperties properties) {
        this.store = store;
        this.sizes = properties.sizes().keySet();
    }

    @GetMapping("/api/v1/photos/{userId}/{size}")
    ResponseEntity<?> photo(@PathVariable String userId, @PathVariable String size,
            @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
        if (!sizes.contains(size) || Identifiers.userId(userId).isEmpty()) {
            return notFound("no such photo size or user: " + size);
        }
        return store.read(Identifiers.userId(userId).get(), size).<ResponseEntity<?>>map(thumbnail -> {
            String etag = "\"" + thumbnail.version() + "-" + size + "\"";
            CacheControl cache = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic().mustRevalidate();
            if (etag.equals(ifNoneMatch)) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
            }
            return ResponseEntity.ok().contentType(MediaType.IMAGE_JPEG).eTag(etag).cacheControl(cache)
                    .body(thumbnail.jpeg());
        }).orElseGet(() -> notFound("user " + userId + " has no photo"));
    }

    private static ResponseEntity<?> notFound(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setType(java.net.URI.create("https://profile-sync.dev/problems/photo-not-found"));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem);
    }
}
