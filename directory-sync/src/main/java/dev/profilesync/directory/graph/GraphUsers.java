package dev.profilesync.directory.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import dev.profilesync.events.ChangeBounds;
import dev.profilesync.events.Sources;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;

/**
 * Turns a user of a Graph delta page into a contract event. A delta page carries only the properties that changed
 * (plus the id), and a property sent as null was cleared; the manager comes with {@code $expand=manager} as an
 * object whose id becomes {@code managerId}. The SDK's typed model cannot tell a null property from an
 * absent one, so pages are read as JSON (through the SDK's request adapter, with its authentication and retries).
 * {@code @removed} becomes a deletion.
 */
final class GraphUsers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GraphUsers.class);

    static final String SOURCE = Sources.GRAPH;

    /** Graph properties read with {@code $select}, mapped to the contract's fields (same names). */
    static final List<ProfileField> SELECTED = List.of(ProfileField.DISPLAY_NAME, ProfileField.GIVEN_NAME,
            ProfileField.SURNAME, ProfileField.MAIL, ProfileField.USER_PRINCIPAL_NAME, ProfileField.JOB_TITLE,
            ProfileField.DEPARTMENT, ProfileField.OFFICE_LOCATION, ProfileField.MOBILE_PHONE,
            ProfileField.BUSINESS_PHONES, ProfileField.EMPLOYEE_ID, ProfileField.COMPANY_NAME, ProfileField.CITY,
            ProfileField.COUNTRY, ProfileField.PREFERRED_LANGUAGE, ProfileField.ACCOUNT_ENABLED);

    private GraphUsers() {
    }

    static String[] select() {
        return SELECTED.stream().map(ProfileField::jsonName).toArray(String[]::new);
    }

    /** The event for one delta entry; empty when it carries nothing the contract knows or an unusable id. */
    static Optional<UserEvent> toEvent(JsonNode user, Instant observedAt) {
        Optional<String> id = Identifiers.userId(user.path("id").asString(null));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String eventId = Identifiers.newEventId(SOURCE);
        if (user.has("@removed")) {
            return Optional.of(new UserDeleted(eventId, id.get(), SOURCE, observedAt));
        }
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        for (ProfileField field : SELECTED) {
            JsonNode value = user.get(field.jsonName());
            if (value != null) {
                Object normalised = normalised(field, value);
                if (acceptable(normalised)) {
                    fields.put(field, normalised);
                } else {
                    log.warn("Graph sent {} of user {} with text the contract refuses; the field is left as it was",
                            field.jsonName(), id.get());
                }
            }
        }
        JsonNode manager = user.get("manager");
        if (manager != null) {
            fields.put(ProfileField.MANAGER_ID, manager.isNull() ? null
                    : Identifiers.userId(manager.path("id").asString(null)).orElse(null));
        }
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UserChanged(eventId, id.get(), SOURCE, observedAt, fields));
    }

    /** The same text rule as every other door ({@link ChangeBounds#textProblem}). */
    private static boolean acceptable(Object value) {
        if (value instanceof String text) {
            return ChangeBounds.textProblem(text) == null;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(entry -> ChangeBounds.textProblem(String.valueOf(entry)) == null);
        }
        return true;
    }

    private static Object normalised(ProfileField field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        return switch (field.kind()) {
            case BOOLEAN -> value.isBoolean() ? value.booleanValue() : Boolean.valueOf(value.asString());
            case STRING_LIST -> {
                List<String> entries = new ArrayList<>();
                if (value.isArray()) {
                    value.forEach(entry -> entries.add(truncate(entry.asString(), field)));
                } else {
                    entries.add(truncate(value.asString(), field));
                }
                yield List.copyOf(entries.subList(0, Math.min(entries.size(), ProfileField.MAX_LIST_ENTRIES)));
            }
            case STRING -> truncate(value.asString(), field);
        };
    }

    private static String truncate(String text, ProfileField field) {
        return text.length() <= field.maxLength() ? text : text.substring(0, field.maxLength());
    }
}
