package dev.profilesync.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Some profile fields of a user changed. Only the changed fields are carried; a field mapped to {@code null} was
 * cleared. Values are {@link String}, {@code List<String>} or {@link Boolean}, as the field's kind says.
 */
public record UserChanged(String eventId, String userId, String source, Instant observedAt,
        Map<ProfileField, Object> fields) implements UserEvent {

    public UserChanged {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(source, "source");
        observedAt = Objects.requireNonNull(observedAt, "observedAt").truncatedTo(ChronoUnit.MICROS);
        EnumMap<ProfileField, Object> copy = new EnumMap<>(ProfileField.class);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
    }
}
