package dev.profilesync.applier.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PATCH (RFC 7644 §3.5.2) applied to a user's SCIM document: {@code add}, {@code replace} and {@code remove}, also
 * capitalised as Entra ID sends them, with paths such as {@code title}, {@code name.familyName},
 * {@code emails[type eq "work"].value}, {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager},
 * and path-less {@code add}/{@code replace} of an object of attributes (whose keys may themselves be paths). The
 * result is mapped back onto profile fields like any other document, so every write path validates the same way.
 */
final class ScimPatch {

    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final int MAX_OPERATIONS = 100;

    private ScimPatch() {
    }

    /** Applies the request's operations to {@code user} (changed in place). */
    static void apply(ObjectNode user, JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ScimException.invalidSyntax("a PATCH body must be a JSON object with Operations");
        }
        JsonNode operations = null;
        for (Map.Entry<String, JsonNode> part : request.properties()) {
            if (part.getKey().equalsIgnoreCase("operations")) {
                operations = part.getValue();
            } else if (!part.getKey().equalsIgnoreCase("schemas")) {
                throw ScimException.invalidSyntax("unknown attribute '" + part.getKey() + "' in a PATCH body");
            }
        }
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("Operations must be a non-empty array");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimException.invalidSyntax("at most " + MAX_OPERATIONS + " operations per PATCH");
        }
        for (JsonNode operation : operations) {
            applyOne(user, operation);
        }
    }

    private static void applyOne(ObjectNode user, JsonNode operation) {
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax("every operation must be an object");
        }
        String op = null;
        String path = null;
        JsonNode value = null;
        for (Map.Entry<String, JsonNode> part : operation.properties()) {
            switch (part.getKey().toLowerCase(Locale.ROOT)) {
                case "op" -> op = ScimUserMapping.text(part.getValue(), "op");
                case "path" -> path = ScimUserMapping.text(part.getValue(), "path");
                case "value" -> value = part.getValue();
                default -> throw ScimException.invalidSyntax("unknown attribute '" + part.getKey()
                        + "' in an operation");
            }
        }
        if (op == null) {
            throw ScimException.invalidSyntax("an operation needs op (add, replace or remove)");
        }
        switch (op.toLowerCase(Locale.ROOT)) {
            case "add", "replace" -> {
                boolean replace = op.equalsIgnoreCase("replace");
                if (value == null) {
                    throw ScimException.invalidSyntax(op + " needs a value");
                }
                if (path == null) {
                    if (!value.isObject()) {
                        throw ScimException.invalidSyntax(op + " without a path needs an object of attributes");
                    }
                    for (Map.Entry<String, JsonNode> attribute : value.properties()) {
                        if (attribute.getKey().equalsIgnoreCase(ScimUserMapping.ENTERPRISE)
                                && attribute.getValue().isObject()) {
                            for (Map.Entry<String, JsonNode> part : attribute.getValue().properties()) {
                                set(user, Path.parse(ScimUserMapping.ENTERPRISE + ":" + part.getKey()),
                                        part.getValue(), replace);
                            }
                        } else {
                            set(user, Path.parse(attribute.getKey()), attribute.getValue(), replace);
                        }
                    }
                } else {
                    set(user, Path.parse(path), value, replace);
                }
            }
            case "remove" -> {
                if (path == null) {
                    throw ScimException.noTarget("remove needs a path");
                }
                remove(user, Path.parse(path));
            }
            default -> throw ScimException.invalidSyntax("unknown op '" + op + "' (add, replace or remove)");
        }
    }

    /**
     * A parsed path: the container ({@code null} for the core schema, the extension's URN otherwise), the attribute,
     * an optional value filter ({@code filterAttribute eq filterValue}) and an optional sub-attribute.
     */
    record Path(String extension, String attribute, String filterAttribute, String filterValue, String sub) {

        static Path parse(String text) {
            String rest = text.trim();
            String extension = null;
            if (rest.regionMatches(true, 0, ScimUserMapping.ENTERPRISE + ":", 0,
                    ScimUserMapping.ENTERPRISE.length() + 1)) {
                extension = ScimUserMapping.ENTERPRISE;
                rest = rest.substring(ScimUserMapping.ENTERPRISE.length() + 1);
            } else if (rest.regionMatches(true, 0, ScimUserMapping.CORE + ":", 0, ScimUserMapping.CORE.length() + 1)) {
                rest = rest.substring(ScimUserMapping.CORE.length() + 1);
            }
            String filterAttribute = null;
            String filterValue = null;
            String sub = null;
            int bracket = rest.indexOf('[');
            String attribute;
            if (bracket >= 0) {
                int close = rest.indexOf(']', bracket);
                if (close < 0) {
                    throw ScimException.invalidPath("'[' is not closed in " + text);
                }
                attribute = rest.substring(0, bracket);
                String[] filter = rest.substring(bracket + 1, close).trim().split("\\s+", 3);
                if (filter.length != 3 || !filter[1].equalsIgnoreCase("eq")) {
                    throw ScimException.invalidPath("a value filter must be <attribute> eq <value> in " + text);
                }
                filterAttribute = filter[0].toLowerCase(Locale.ROOT);
                filterValue = filter[2].startsWith("\"") && filter[2].endsWith("\"") && filter[2].length() >= 2
                        ? filter[2].substring(1, filter[2].length() - 1) : filter[2];
                String after = rest.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(".")) {
                        throw ScimException.invalidPath("unexpected '" + after + "' in " + text);
                    }
                    sub = after.substring(1);
                }
            } else {
                int dot = rest.indexOf('.');
                attribute = dot < 0 ? rest : rest.substring(0, dot);
                sub = dot < 0 ? null : rest.substring(dot + 1);
            }
            String lower = attribute.toLowerCase(Locale.ROOT);
            if (extension != null) {
                attribute = ScimUserMapping.ENTERPRISE_ATTRIBUTES.get(lower);
            } else if (lower.equals("id") || lower.equals("meta") || lower.equals("schemas")) {
                throw ScimException.mutability(attribute + " cannot be changed");
            } else {
                attribute = ScimUserMapping.KEPT.containsKey(lower) ? ScimUserMapping.KEPT.get(lower)
                        : ScimUserMapping.IGNORED.get(lower);
            }
            if (attribute == null) {
                throw ScimException.invalidPath("unknown attribute in path " + text);
            }
            if (extension == null && ScimUserMapping.IGNORED.containsValue(attribute)) {
                return new Path(null, attribute, null, null, null);
            }
            if (sub != null) {
                String canonical = ScimUserMapping.NAME_ATTRIBUTES.get(sub.toLowerCase(Locale.ROOT));
                if (canonical == null) {
                    canonical = ScimUserMapping.MULTI_VALUE_ATTRIBUTES.get(sub.toLowerCase(Locale.ROOT));
                }
                if (canonical == null) {
                    throw ScimException.invalidPath("unknown sub-attribute in path " + text);
                }
                sub = canonical;
            }
            return new Path(extension, attribute, filterAttribute, filterValue, sub);
        }

        boolean ignored() {
            return extension == null && ScimUserMapping.IGNORED.containsValue(attribute);
        }
    }

    private static ObjectNode container(ObjectNode user, Path path, boolean create) {
        if (path.extension() == null) {
            return user;
        }
        JsonNode extension = user.get(path.extension());
        if (extension instanceof ObjectNode object) {
            return object;
        }
        return create ? user.putObject(path.extension()) : null;
    }

    private static void set(ObjectNode user, Path path, JsonNode value, boolean replace) {
        if (path.ignored()) {
            return;
        }
        ObjectNode container = container(user, path, true);
        String attribute = path.attribute();
        boolean multiValued = attribute.equals("emails") || attribute.equals("phoneNumbers")
                || attribute.equals("addresses");
        if (path.filterAttribute() != null) {
            if (!multiValued) {
                throw ScimException.invalidPath(attribute + " is not multi-valued");
            }
            ArrayNode entries = array(container, attribute);
            List<ObjectNode> matches = matching(entries, path);
            if (matches.isEmpty()) {
                ObjectNode created = entries.addObject();
                created.put(path.filterAttribute(), path.filterValue());
                matches = List.of(created);
            }
            for (ObjectNode match : matches) {
                if (path.sub() == null) {
                    if (!value.isObject()) {
                        throw ScimException.invalidValue(attribute + " entries must be objects");
                    }
                    match.setAll((ObjectNode) value);
                } else {
                    match.set(path.sub(), value);
                }
            }
            return;
        }
        if (path.sub() != null) {
            if (multiValued) {
                ArrayNode entries = array(container, attribute);
                ObjectNode first = entries.isEmpty() ? entries.addObject() : (ObjectNode) entries.get(0);
                first.set(path.sub(), value);
                return;
            }
            JsonNode existing = container.get(attribute);
            ObjectNode complex = existing instanceof ObjectNode object ? object : container.putObject(attribute);
            complex.set(path.sub(), value);
            return;
        }
        if (attribute.equals("manager") && value.isString()) {
            // Entra ID sends the manager's id as a plain string
            container.putObject("manager").put("value", value.asString());
            return;
        }
        if (multiValued && !replace && value.isArray() && container.get(attribute) instanceof ArrayNode existing) {
            for (JsonNode entry : value) {
                if (entry.isObject() && entry.has("type")) {
                    removeMatching(existing, "type", entry.get("type").asString());
                }
                existing.add(entry);
            }
            return;
        }
        if (!replace && value.isObject() && container.get(attribute) instanceof ObjectNode existing) {
            existing.setAll((ObjectNode) value);
            return;
        }
        container.set(attribute, value);
    }

    private static void remove(ObjectNode user, Path path) {
        if (path.ignored()) {
            return;
        }
        ObjectNode container = container(user, path, false);
        if (container == null) {
            return;
        }
        String attribute = path.attribute();
        if (path.filterAttribute() != null) {
            if (!(container.get(attribute) instanceof ArrayNode entries)) {
                return;
            }
            for (ObjectNode match : matching(entries, path)) {
                if (path.sub() == null) {
                    removeMatching(entries, path.filterAttribute(), path.filterValue());
                } else {
                    match.remove(path.sub());
                }
            }
            return;
        }
        if (path.sub() != null && container.get(attribute) instanceof ObjectNode complex) {
            complex.remove(path.sub());
            return;
        }
        container.remove(attribute);
    }

    private static ArrayNode array(ObjectNode container, String attribute) {
        return container.get(attribute) instanceof ArrayNode entries ? entries : container.putArray(attribute);
    }

    private static List<ObjectNode> matching(ArrayNode entries, Path path) {
        List<ObjectNode> matches = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (entry instanceof ObjectNode object && matches(object, path.filterAttribute(), path.filterValue())) {
                matches.add(object);
            }
        }
        return matches;
    }

    private static boolean matches(ObjectNode entry, String attribute, String value) {
        for (Map.Entry<String, JsonNode> part : entry.properties()) {
            if (part.getKey().equalsIgnoreCase(attribute)) {
                JsonNode actual = part.getValue();
                return actual.isString() ? actual.asString().equalsIgnoreCase(value)
                        : actual.toString().equalsIgnoreCase(value);
            }
        }
        return false;
    }

    private static void removeMatching(ArrayNode entries, String attribute, String value) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) instanceof ObjectNode object && matches(object, attribute, value)) {
                entries.remove(i);
            }
        }
    }
}
