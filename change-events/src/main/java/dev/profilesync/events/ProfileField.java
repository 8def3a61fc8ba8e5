package dev.profilesync.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The profile fields an event may change, with their JSON name, value kind, size limit and owner. Adding a field
 * here, in the JSON Schema and in a store migration is all it takes to carry a new attribute end to end.
 */
public enum ProfileField {
    DISPLAY_NAME("displayName", Kind.STRING, 256, FieldOwner.DIRECTORY),
    GIVEN_NAME("givenName", Kind.STRING, 64, FieldOwner.DIRECTORY),
    SURNAME("surname", Kind.STRING, 64, FieldOwner.DIRECTORY),
    MAIL("mail", Kind.STRING, 320, FieldOwner.DIRECTORY),
    USER_PRINCIPAL_NAME("userPrincipalName", Kind.STRING, 320, FieldOwner.DIRECTORY),
    JOB_TITLE("jobTitle", Kind.STRING, 128, FieldOwner.DIRECTORY),
    DEPARTMENT("department", Kind.STRING, 64, FieldOwner.DIRECTORY),
    OFFICE_LOCATION("officeLocation", Kind.STRING, 128, FieldOwner.DIRECTORY),
    MOBILE_PHONE("mobilePhone", Kind.STRING, 64, FieldOwner.DIRECTORY),
    BUSINESS_PHONES("businessPhones", Kind.STRING_LIST, 64, FieldOwner.DIRECTORY),
    EMPLOYEE_ID("employeeId", Kind.STRING, 16, FieldOwner.DIRECTORY),
    COMPANY_NAME("companyName", Kind.STRING, 64, FieldOwner.DIRECTORY),
    CITY("city", Kind.STRING, 128, FieldOwner.DIRECTORY),
    COUNTRY("country", Kind.STRING, 128, FieldOwner.DIRECTORY),
    PREFERRED_LANGUAGE("preferredLanguage", Kind.STRING, 16, FieldOwner.DIRECTORY),
    MANAGER_ID("managerId", Kind.STRING, 64, FieldOwner.DIRECTORY),
    ACCOUNT_ENABLED("accountEnabled", Kind.BOOLEAN, 0, FieldOwner.DIRECTORY),
    /** The provisioning client's own id of the user (SCIM {@code externalId}), e.g. Okta's user id. */
    EXTERNAL_ID("externalId", Kind.STRING, 256, FieldOwner.DIRECTORY),
    ABOUT_ME("aboutMe", Kind.STRING, 4000, FieldOwner.SELF_SERVICE),
    SKILLS("skills", Kind.STRING_LIST, 128, FieldOwner.SELF_SERVICE),
    INTERESTS("interests", Kind.STRING_LIST, 128, FieldOwner.SELF_SERVICE),
    PRONOUNS("pronouns", Kind.STRING, 32, FieldOwner.SELF_SERVICE),
    PHOTO_ETAG("photoEtag", Kind.STRING, 256, FieldOwner.PHOTO),
    PHOTO_UPDATED_AT("photoUpdatedAt", Kind.STRING, 40, FieldOwner.PHOTO),
    PHOTO_URL("photoUrl", Kind.STRING, 2048, FieldOwner.PHOTO);

    /** How a field's value is written in JSON. */
    public enum Kind {
        STRING,
        STRING_LIST,
        BOOLEAN
    }

    /** At most this many entries in a list-valued field. */
    public static final int MAX_LIST_ENTRIES = 100;

    private static final Map<String, ProfileField> BY_JSON_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProfileField::jsonName, Function.identity()));

    private final String jsonName;
    private final Kind kind;
    private final int maxLength;
    private final FieldOwner owner;

    ProfileField(String jsonName, Kind kind, int maxLength, FieldOwner owner) {
        this.jsonName = jsonName;
        this.kind = kind;
        this.maxLength = maxLength;
        this.owner = owner;
    }

    public String jsonName() {
        return jsonName;
    }

    public Kind kind() {
        return kind;
    }

    /** Longest string (or list entry) accepted, in characters. */
    public int maxLength() {
        return maxLength;
    }

    public FieldOwner owner() {
        return owner;
    }

    public static Optional<ProfileField> byJsonName(String name) {
        return Optional.ofNullable(BY_JSON_NAME.get(name));
    }
}
