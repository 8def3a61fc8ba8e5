package dev.profilesync.events;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code fields} object of a user change: every name must be a known {@link ProfileField}, every value must
 * match the field's kind and size, text must pass {@link ChangeBounds#textProblem}, and {@code null} clears the field. Used by the HTTP intake and by the applier for
 * records emitted straight to Kafka, so both accept exactly the same changes.
 */
public final class ChangedFields {

    private ChangedFields() {
    }

    /**
     * Parses {@code node}, adding a violation for each bad entry.
     *
     * @param pointer JSON pointer of {@code node}, used in violations
     * @return the parsed fields; meaningful only when no violation was added
     */
    public static Map<ProfileField, Object> parse(JsonNode node, String pointer, List<Violation> violations) {
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        if (node == null || node.isMissingNode()) {
            violations.add(new Violation(pointer, "missing", "fields is required: the changed fields, null to clear"));
            return fields;
        }
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "invalid-type", "fields must be a JSON object"));
            return fields;
        }
        if (node.isEmpty()) {
            violations.add(new Violation(pointer, "empty", "a change must name at least one field"));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String at = pointer + "/" + entry.getKey();
            ProfileField.byJsonName(entry.getKey()).ifPresentOrElse(
                    field -> fields.put(field, value(field, entry.getValue(), at, violations)),
                    () -> violations.add(new Violation(at, "unknown-field",
                            "'" + entry.getKey() + "' is not a profile field of this contract")));
        }
        return fields;
    }

    private static Object value(ProfileField field, JsonNode value, String at, List<Violation> violations) {
        if (value.isNull()) {
            return null;
        }
        switch (field.kind()) {
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                violations.add(new Violation(at, "invalid-type", field.jsonName() + " must be true, false or null"));
            }
            case STRING -> {
                if (value.isString()) {
                    return checkedString(field, value.stringValue(), at, violations);
                }
                violations.add(new Violation(at, "invalid-type", field.jsonName() + " must be a string or null"));
            }
            case STRING_LIST -> {
                return list(field, value, at, violations);
            }
        }
        return null;
    }

    private static List<String> list(ProfileField field, JsonNode value, String at, List<Violation> violations) {
        if (!value.isArray()) {
            violations.add(new Violation(at, "invalid-type", field.jsonName() + " must be an array of strings or null"));
            return List.of();
        }
        if (value.size() > ProfileField.MAX_LIST_ENTRIES) {
            violations.add(new Violation(at, "too-long",
                    field.jsonName() + " has more than " + ProfileField.MAX_LIST_ENTRIES + " entries"));
        }
        List<String> entries = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode entry = value.get(i);
            if (entry.isString()) {
                entries.add(checkedString(field, entry.stringValue(), at + "/" + i, violations));
            } else {
                violations.add(new Violation(at + "/" + i, "invalid-type", "entries of " + field.jsonName()
                        + " must be strings"));
            }
        }
        return List.copyOf(entries);
    }

    private static String checkedString(ProfileField field, String text, String at, List<Violation> violations) {
        if (text.length() > field.maxLength()) {
            violations.add(new Violation(at, "too-long",
                    field.jsonName() + " is longer than " + field.maxLength() + " characters"));
        }
        String problem = ChangeBounds.textProblem(text);
        if (problem != null) {
            violations.add(new Violation(at, "invalid-text", field.jsonName() + " " + problem));
        }
        return text;
    }
}
