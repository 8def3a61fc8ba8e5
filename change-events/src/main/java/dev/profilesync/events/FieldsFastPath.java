package dev.profilesync.events;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a valid {@code {"fields":{...}}} record value straight from the token stream, without building a tree. It
 * accepts only values that {@link ChangedFields} accepts and yields the same map; at the first thing it is not sure
 * of (an unknown or repeated name, a wrong type, a value too long, malformed JSON, trailing tokens) it gives up and
 * returns null, and the caller takes the tree path, which explains what is wrong. The applier decodes every record
 * this way: building a tree per record was the largest share of its decoding time.
 */
final class FieldsFastPath {

    private FieldsFastPath() {
    }

    /** The changed fields, or null when the value needs the full path. */
    static Map<ProfileField, Object> read(JsonMapper mapper, byte[] value) {
        try (JsonParser parser = mapper.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || !"fields".equals(parser.nextName())
                    || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
            String name;
            while ((name = parser.nextName()) != null) {
                ProfileField field = ProfileField.byJsonName(name).orElse(null);
                if (field == null || fields.containsKey(field) || !readValue(parser, field, fields)) {
                    return null;
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || fields.isEmpty()
                    || parser.nextToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return fields;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static boolean readValue(JsonParser parser, ProfileField field, Map<ProfileField, Object> fields) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            fields.put(field, null);
            return true;
        }
        switch (field.kind()) {
            case BOOLEAN -> {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    return false;
                }
                fields.put(field, token == JsonToken.VALUE_TRUE);
                return true;
            }
            case STRING -> {
                if (token != JsonToken.VALUE_STRING) {
                    return false;
                }
                String text = parser.getString();
                if (text.length() > field.maxLength() || ChangeBounds.textProblem(text) != null) {
                    return false;
                }
                fields.put(field, text);
                return true;
            }
            case STRING_LIST -> {
                if (token != JsonToken.START_ARRAY) {
                    return false;
                }
                List<String> entries = new ArrayList<>();
                JsonToken entry;
                while ((entry = parser.nextToken()) == JsonToken.VALUE_STRING) {
                    String text = parser.getString();
                    if (text.length() > field.maxLength() || entries.size() == ProfileField.MAX_LIST_ENTRIES
                            || ChangeBounds.textProblem(text) != null) {
                        return false;
                    }
                    entries.add(text);
                }
                if (entry != JsonToken.END_ARRAY) {
                    return false;
                }
                fields.put(field, List.copyOf(entries));
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
