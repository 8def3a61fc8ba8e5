package dev.profilesync.events;

import java.time.Instant;

/**
 * A change of one user observed at one source. Its version, (observed time, event id), decides which write wins when
 * changes arrive out of order, twice, or from several sources.
 */
public sealed interface UserEvent permits UserChanged, UserDeleted {

    /** Unique id of the event, stable across retries of the same change (CloudEvents {@code id}). */
    String eventId();

    /** The user's directory object id, lower-case (CloudEvents {@code subject}, the Kafka key). */
    String userId();

    /** Where the change was observed, e.g. {@code graph} or {@code self-service} (CloudEvents {@code source}). */
    String source();

    /** When the change was observed at its source (CloudEvents {@code time}). */
    Instant observedAt();
}
