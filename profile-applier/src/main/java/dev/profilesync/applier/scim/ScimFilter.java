package dev.profilesync.applier.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.profilesync.events.ProfileField;

/**
 * The filters provisioning clients send before they create or change a user (RFC 7644 §3.4.2.2): {@code eq} on
 * {@code userName}, {@code externalId}, {@code id}, {@code displayName}, {@code emails.value} (also as
 * {@code emails[type eq "work"].value}) and the enterprise {@code employeeNumber}, joined by {@code and}. Anything
 * else is refused with {@code invalidFilter} and says what is supported, rather than being answered wrongly.
 */
final class ScimFilter {

    /** One comparison: a stored field (or the id, when {@code field} is null) equal to a value. */
    record Condition(ProfileField field, String value, boolean ignoreCase) {

        boolean isId() {
            return field == null;
        }
    }

    static final int MAX_LENGTH = 2048;

    private final String text;
    private int at;

    private ScimFilter(String text) {
        this.text = text;
    }

    static List<Condition> parse(String filter) {
        if (filter.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("the filter is longer than " + MAX_LENGTH + " characters");
        }
        ScimFilter parser = new ScimFilter(filter);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(parser.comparison());
        while (parser.more()) {
            String word = parser.word();
            if (!word.equalsIgnoreCase("and")) {
                throw ScimException.invalidFilter("expected 'and' at position " + parser.at + ", found '" + word
                        + "' (supported: eq comparisons joined by and)");
            }
            conditions.add(parser.comparison());
        }
        return conditions;
    }

    private Condition comparison() {
        String path = attributePath();
        String operator = word();
        if (!operator.equalsIgnoreCase("eq")) {
            throw ScimException.invalidFilter("the operator '" + operator + "' is not supported (supported: eq, and)");
        }
        String value = value();
        return condition(path, value);
    }

    private String attributePath() {
        skipSpaces();
        int start = at;
        while (at < text.length() && !Character.isWhitespace(text.charAt(at)) && text.charAt(at) != '[') {
            at++;
        }
        String name = text.substring(start, at);
        if (name.isEmpty() || name.startsWith("(") || name.equalsIgnoreCase("not")) {
            throw ScimException.invalidFilter("expected an attribute at position " + start
                    + " (grouping and 'not' are not supported)");
        }
        if (at < text.length() && text.charAt(at) == '[') {
            int close = text.indexOf(']', at);
            if (close < 0) {
                throw ScimException.invalidFilter("'[' at position " + at + " is not closed");
            }
            String inner = text.substring(at + 1, close).trim();
            at = close + 1;
            List<Condition> typeFilter = List.of(new ScimFilter(inner).typeComparison());
            String type = typeFilter.get(0).value();
            int subStart = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            String sub = text.substring(subStart, at);
            if (!name.equalsIgnoreCase("emails") || !type.equalsIgnoreCase("work")
                    || !(sub.isEmpty() || sub.equalsIgnoreCase(".value"))) {
                throw ScimException.invalidFilter("the only value filter supported is emails[type eq \"work\"].value");
            }
            return "emails.value";
        }
        return name;
    }

    private Condition typeComparison() {
        String attribute = attributePath();
        if (!attribute.equalsIgnoreCase("type") || !word().equalsIgnoreCase("eq")) {
            throw ScimException.invalidFilter("a value filter must be type eq \"...\"");
        }
        return new Condition(null, value(), true);
    }

    private static Condition condition(String path, String value) {
        String normalised = path.toLowerCase(Locale.ROOT);
        if (normalised.startsWith(ScimUserMapping.ENTERPRISE.toLowerCase(Locale.ROOT) + ":")) {
            normalised = "enterprise:" + normalised.substring(ScimUserMapping.ENTERPRISE.length() + 1);
        } else if (normalised.startsWith(ScimUserMapping.CORE.toLowerCase(Locale.ROOT) + ":")) {
            normalised = normalised.substring(ScimUserMapping.CORE.length() + 1);
        }
        return switch (normalised) {
            case "id" -> new Condition(null, value, true);
            case "username" -> new Condition(ProfileField.USER_PRINCIPAL_NAME, value, true);
            case "externalid" -> new Condition(ProfileField.EXTERNAL_ID, value, false);
            case "displayname" -> new Condition(ProfileField.DISPLAY_NAME, value, false);
            case "emails", "emails.value" -> new Condition(ProfileField.MAIL, value, true);
            case "enterprise:employeenumber" -> new Condition(ProfileField.EMPLOYEE_ID, value, false);
            default -> throw ScimException.invalidFilter("filtering on '" + path + "' is not supported (supported: "
                    + "userName, externalId, id, displayName, emails[type eq \"work\"].value, employeeNumber)");
        };
    }

    private String value() {
        skipSpaces();
        if (at >= text.length()) {
            throw ScimException.invalidFilter("a comparison value is missing at the end of the filter");
        }
        if (text.charAt(at) != '"') {
            String word = word();
            throw ScimException.invalidFilter("the value '" + word + "' must be a quoted string");
        }
        StringBuilder value = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    break;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> value.append(escaped);
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw ScimException.invalidFilter("a \\u escape needs four hex digits");
                        }
                        try {
                            value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw ScimException.invalidFilter("a \\u escape needs four hex digits");
                        }
                        at += 4;
                    }
                    default -> throw ScimException.invalidFilter("unknown escape \\" + escaped + " in a value");
                }
            } else {
                value.append(c);
            }
        }
        throw ScimException.invalidFilter("a quoted value is not closed");
    }

    private String word() {
        skipSpaces();
        int start = at;
        while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw ScimException.invalidFilter("the filter ends too early");
        }
        return text.substring(start, at);
    }

    private boolean more() {
        skipSpaces();
        return at < text.length();
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
