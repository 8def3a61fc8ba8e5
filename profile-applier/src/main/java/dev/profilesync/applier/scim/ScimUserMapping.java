package dev.profilesync.applier.scim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.profilesync.events.ProfileField;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The core User schema and the enterprise extension, mapped onto profile fields:
 * <pre>
 * userName                 userPrincipalName      emails (work, else primary, else first)  mail
 * externalId               externalId             phoneNumbers type mobile                 mobilePhone
 * name.givenName           givenName              phoneNumbers type work                   businessPhones
 * name.familyName          surname                addresses (work, else primary).locality  city
 * displayName              displayName            addresses (...).country                  country
 * title                    jobTitle               active                                   accountEnabled
 * preferredLanguage        preferredLanguage      enterprise employeeNumber                employeeId
 * enterprise department    department             enterprise organization                  companyName
 * enterprise manager.value managerId
 * </pre>
 * Attributes of the schemas that the profile does not hold ({@code password}, {@code locale}, {@code groups},
 * {@code roles}, {@code nickName}, ...) are accepted and not kept; attribute names the schemas do not have are
 * refused. Booleans may come as the strings {@code "True"}/{@code "False"}, as Entra ID sends them.
 */
final class ScimUserMapping {

    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** The fields a SCIM client manages: a PUT sets every one of them (clears those it does not send). */
    static final Set<ProfileField> MANAGED = EnumSet.of(ProfileField.USER_PRINCIPAL_NAME, ProfileField.EXTERNAL_ID,
            ProfileField.GIVEN_NAME, ProfileField.SURNAME, ProfileField.DISPLAY_NAME, ProfileField.JOB_TITLE,
            ProfileField.MAIL, ProfileField.MOBILE_PHONE, ProfileField.BUSINESS_PHONES,
            ProfileField.PREFERRED_LANGUAGE, ProfileField.CITY, ProfileField.COUNTRY, ProfileField.ACCOUNT_ENABLED,
            ProfileField.EMPLOYEE_ID, ProfileField.DEPARTMENT, ProfileField.COMPANY_NAME, ProfileField.MANAGER_ID);

    /** Core attributes kept, by their lower-case name, with their canonical spelling. */
    static final Map<String, String> KEPT = canonical("userName", "externalId", "name", "displayName", "title",
            "preferredLanguage", "active", "emails", "phoneNumbers", "addresses");

    /** Core attributes a client may send that the profile does not hold. */
    static final Map<String, String> IGNORED = canonical("schemas", "id", "meta", "password", "nickName",
            "profileUrl", "userType", "locale", "timezone", "ims", "photos", "groups", "entitlements", "roles",
            "x509Certificates");

    static final Map<String, String> ENTERPRISE_ATTRIBUTES = canonical("employeeNumber", "department",
            "organization", "manager", "costCenter", "division");

    static final Map<String, String> NAME_ATTRIBUTES = canonical("givenName", "familyName", "formatted",
            "middleName", "honorificPrefix", "honorificSuffix");

    static final Map<String, String> MULTI_VALUE_ATTRIBUTES = canonical("value", "type", "primary", "display",
            "locality", "country", "formatted", "streetAddress", "region", "postalCode");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ScimUserMapping() {
    }

    private static Map<String, String> canonical(String... names) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String name : names) {
            map.put(name.toLowerCase(Locale.ROOT), name);
        }
        return Map.copyOf(map);
    }

    /** A user as SCIM shows it. */
    static ObjectNode toScim(String id, Map<ProfileField, Object> fields, Instant lastModified, String version,
            String location) {
        ObjectNode user = JSON.createObjectNode();
        ArrayNode schemas = user.putArray("schemas").add(CORE);
        user.put("id", id);
        putText(user, "externalId", fields.get(ProfileField.EXTERNAL_ID));
        putText(user, "userName", fields.get(ProfileField.USER_PRINCIPAL_NAME));
        Object given = fields.get(ProfileField.GIVEN_NAME);
        Object family = fields.get(ProfileField.SURNAME);
        if (given != null || family != null) {
            ObjectNode name = user.putObject("name");
            putText(name, "givenName", given);
            putText(name, "familyName", family);
            name.put("formatted", ((given == null ? "" : given + " ") + (family == null ? "" : family)).trim());
        }
        putText(user, "displayName", fields.get(ProfileField.DISPLAY_NAME));
        putText(user, "title", fields.get(ProfileField.JOB_TITLE));
        putText(user, "preferredLanguage", fields.get(ProfileField.PREFERRED_LANGUAGE));
        Object enabled = fields.get(ProfileField.ACCOUNT_ENABLED);
        user.put("active", enabled == null || Boolean.TRUE.equals(enabled));
        if (fields.get(ProfileField.MAIL) != null) {
            ObjectNode email = user.putArray("emails").addObject();
            email.put("value", (String) fields.get(ProfileField.MAIL));
            email.put("type", "work");
            email.put("primary", true);
        }
        List<ObjectNode> phones = new ArrayList<>();
        if (fields.get(ProfileField.MOBILE_PHONE) != null) {
            ObjectNode phone = JSON.createObjectNode();
            phone.put("value", (String) fields.get(ProfileField.MOBILE_PHONE));
            phone.put("type", "mobile");
            phones.add(phone);
        }
        if (fields.get(ProfileField.BUSINESS_PHONES) instanceof List<?> business) {
            for (Object number : business) {
                ObjectNode phone = JSON.createObjectNode();
                phone.put("value", String.valueOf(number));
                phone.put("type", "work");
                phones.add(phone);
            }
        }
        if (!phones.isEmpty()) {
            user.putArray("phoneNumbers").addAll(phones);
        }
        if (fields.get(ProfileField.CITY) != null || fields.get(ProfileField.COUNTRY) != null) {
            ObjectNode address = user.putArray("addresses").addObject();
            address.put("type", "work");
            putText(address, "locality", fields.get(ProfileField.CITY));
            putText(address, "country", fields.get(ProfileField.COUNTRY));
            address.put("primary", true);
        }
        ObjectNode enterprise = JSON.createObjectNode();
        putText(enterprise, "employeeNumber", fields.get(ProfileField.EMPLOYEE_ID));
        putText(enterprise, "department", fields.get(ProfileField.DEPARTMENT));
        putText(enterprise, "organization", fields.get(ProfileField.COMPANY_NAME));
        if (fields.get(ProfileField.MANAGER_ID) != null) {
            enterprise.putObject("manager").put("value", (String) fields.get(ProfileField.MANAGER_ID));
        }
        if (!enterprise.isEmpty()) {
            schemas.add(ENTERPRISE);
            user.set(ENTERPRISE, enterprise);
        }
        ObjectNode meta = user.putObject("meta");
        meta.put("resourceType", "User");
        if (lastModified != null) {
            meta.put("lastModified", lastModified.toString());
        }
        meta.put("location", location);
        if (version != null) {
            meta.put("version", version);
        }
        return user;
    }

    private static void putText(ObjectNode target, String name, Object value) {
        if (value != null) {
            target.put(name, value.toString());
        }
    }

    /**
     * The managed fields a SCIM user document sets: every one of {@link #MANAGED}, null where the document has no
     * value (a PUT clears those).
     */
    static Map<ProfileField, Object> fromScim(JsonNode user) {
        if (user == null || !user.isObject()) {
            throw ScimException.invalidSyntax("a user must be a JSON object");
        }
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        MANAGED.forEach(field -> fields.put(field, null));
        for (Map.Entry<String, JsonNode> attribute : user.properties()) {
            String key = attribute.getKey();
            JsonNode value = attribute.getValue();
            if (key.equalsIgnoreCase(ENTERPRISE)) {
                enterprise(value, fields);
                continue;
            }
            String name = key.toLowerCase(Locale.ROOT);
            if (IGNORED.containsKey(name) || value.isNull()) {
                continue;
            }
            if (!KEPT.containsKey(name)) {
                throw ScimException.invalidSyntax("unknown attribute '" + key + "' (the core User schema and the "
                        + "enterprise extension are supported)");
            }
            switch (KEPT.get(name)) {
                case "userName" -> fields.put(ProfileField.USER_PRINCIPAL_NAME, text(value, "userName"));
                case "externalId" -> fields.put(ProfileField.EXTERNAL_ID, text(value, "externalId"));
                case "displayName" -> fields.put(ProfileField.DISPLAY_NAME, text(value, "displayName"));
                case "title" -> fields.put(ProfileField.JOB_TITLE, text(value, "title"));
                case "preferredLanguage" -> fields.put(ProfileField.PREFERRED_LANGUAGE,
                        text(value, "preferredLanguage"));
                case "active" -> fields.put(ProfileField.ACCOUNT_ENABLED, bool(value, "active"));
                case "name" -> name(value, fields);
                case "emails" -> fields.put(ProfileField.MAIL, chosen(value, "emails", "value"));
                case "phoneNumbers" -> phones(value, fields);
                case "addresses" -> address(value, fields);
                default -> throw new IllegalStateException(key);
            }
        }
        return fields;
    }

    private static void name(JsonNode name, Map<ProfileField, Object> fields) {
        if (!name.isObject()) {
            throw ScimException.invalidValue("name must be an object");
        }
        for (Map.Entry<String, JsonNode> part : name.properties()) {
            String key = part.getKey().toLowerCase(Locale.ROOT);
            if (!NAME_ATTRIBUTES.containsKey(key)) {
                throw ScimException.invalidSyntax("unknown attribute 'name." + part.getKey() + "'");
            }
            if (key.equals("givenname")) {
                fields.put(ProfileField.GIVEN_NAME, text(part.getValue(), "name.givenName"));
            } else if (key.equals("familyname")) {
                fields.put(ProfileField.SURNAME, text(part.getValue(), "name.familyName"));
            }
        }
    }

    private static void enterprise(JsonNode extension, Map<ProfileField, Object> fields) {
        if (extension.isNull()) {
            return;
        }
        if (!extension.isObject()) {
            throw ScimException.invalidValue("the enterprise extension must be an object");
        }
        for (Map.Entry<String, JsonNode> part : extension.properties()) {
            String key = part.getKey().toLowerCase(Locale.ROOT);
            if (!ENTERPRISE_ATTRIBUTES.containsKey(key)) {
                throw ScimException.invalidSyntax("unknown enterprise attribute '" + part.getKey() + "'");
            }
            JsonNode value = part.getValue();
            switch (key) {
                case "employeenumber" -> fields.put(ProfileField.EMPLOYEE_ID, text(value, "employeeNumber"));
                case "department" -> fields.put(ProfileField.DEPARTMENT, text(value, "department"));
                case "organization" -> fields.put(ProfileField.COMPANY_NAME, text(value, "organization"));
                case "manager" -> fields.put(ProfileField.MANAGER_ID, value.isObject()
                        ? text(value.get("value"), "manager.value") : text(value, "manager"));
                default -> {
                    // costCenter, division: not kept
                }
            }
        }
    }

    private static void phones(JsonNode phones, Map<ProfileField, Object> fields) {
        List<String> business = new ArrayList<>();
        for (JsonNode phone : entries(phones, "phoneNumbers")) {
            String type = phone.has("type") ? text(phone.get("type"), "phoneNumbers.type") : "work";
            String number = text(phone.get("value"), "phoneNumbers.value");
            if (number == null) {
                continue;
            }
            if ("mobile".equalsIgnoreCase(type)) {
                fields.put(ProfileField.MOBILE_PHONE, number);
            } else if (!"fax".equalsIgnoreCase(type) && !"pager".equalsIgnoreCase(type)) {
                business.add(number);
            }
        }
        fields.put(ProfileField.BUSINESS_PHONES, business.isEmpty() ? null : business);
    }

    private static void address(JsonNode addresses, Map<ProfileField, Object> fields) {
        JsonNode chosen = chosenEntry(entries(addresses, "addresses"));
        if (chosen != null) {
            fields.put(ProfileField.CITY, text(chosen.get("locality"), "addresses.locality"));
            fields.put(ProfileField.COUNTRY, text(chosen.get("country"), "addresses.country"));
        }
    }

    private static String chosen(JsonNode values, String attribute, String sub) {
        JsonNode chosen = chosenEntry(entries(values, attribute));
        return chosen == null ? null : text(chosen.get(sub), attribute + "." + sub);
    }

    /** The work entry, else the primary one, else the first. */
    private static JsonNode chosenEntry(List<JsonNode> entries) {
        JsonNode primary = null;
        for (JsonNode entry : entries) {
            JsonNode type = entry.get("type");
            if (type != null && type.isString() && "work".equalsIgnoreCase(type.asString())) {
                return entry;
            }
            if (primary == null && entry.has("primary") && bool(entry.get("primary"), "primary")) {
                primary = entry;
            }
        }
        return primary != null ? primary : entries.isEmpty() ? null : entries.get(0);
    }

    private static List<JsonNode> entries(JsonNode values, String attribute) {
        if (!values.isArray()) {
            throw ScimException.invalidValue(attribute + " must be an array");
        }
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode entry : values) {
            if (!entry.isObject()) {
                throw ScimException.invalidValue("every entry of " + attribute + " must be an object");
            }
            for (String key : entry.propertyNames()) {
                if (!MULTI_VALUE_ATTRIBUTES.containsKey(key.toLowerCase(Locale.ROOT))) {
                    throw ScimException.invalidSyntax("unknown attribute '" + attribute + "." + key + "'");
                }
            }
            entries.add(entry);
        }
        return entries;
    }

    static String text(JsonNode value, String attribute) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ScimException.invalidValue(attribute + " must be a string");
        }
        String text = value.asString();
        return text.isEmpty() ? null : text;
    }

    static Boolean bool(JsonNode value, String attribute) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString() && (value.asString().equalsIgnoreCase("true") || value.asString()
                .equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.asString().toLowerCase(Locale.ROOT));
        }
        throw ScimException.invalidValue(attribute + " must be a boolean");
    }
}
