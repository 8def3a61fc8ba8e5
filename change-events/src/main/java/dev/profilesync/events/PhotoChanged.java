package dev.profilesync.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A user's photo may have changed, or somebody asked for a photo sync: photo-sync fetches the photo and, when its
 * media etag differs from the one already processed, renders the thumbnails again.
 *
 * @param reason why: {@code new-user}, {@code etag-changed}, {@code removed}, {@code user-deleted} (the user left the
 *        directory: the photo goes with them) or {@code requested}
 * @param mediaEtag the media etag seen by the sender, or null when unknown
 */
public record PhotoChanged(String eventId, String userId, String source, Instant observedAt, String reason,
        String mediaEtag) {

    public PhotoChanged {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        observedAt = Objects.requireNonNull(observedAt, "observedAt").truncatedTo(ChronoUnit.MICROS);
    }
}
