package dev.profilesync.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The user was deleted from the directory. In the store this is a timestamped tombstone: changes observed before it
 * cannot bring the user back, a change observed after it re-creates the user.
 */
public record UserDeleted(String eventId, String userId, String source, Instant observedAt) implements UserEvent {

    public UserDeleted {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(source, "source");
        observedAt = Objects.requireNonNull(observedAt, "observedAt").truncatedTo(ChronoUnit.MICROS);
    }
}
