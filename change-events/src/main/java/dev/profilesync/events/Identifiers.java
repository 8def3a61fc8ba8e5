package dev.profilesync.events;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Syntax rules for user ids, event ids and source names, shared by every entry point. */
public final class Identifiers {

    private static final Pattern GUID = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    private Identifiers() {
    }

    /** The user id in canonical (lower-case) form, or empty when it is not a directory object id (a GUID). */
    public static Optional<String> userId(String candidate) {
        if (candidate == null || !GUID.matcher(candidate).matches()) {
            return Optional.empty();
        }
        return Optional.of(candidate.toLowerCase(Locale.ROOT));
    }

    public static boolean isEventId(String candidate) {
        return candidate != null && EVENT_ID.matcher(candidate).matches();
    }

    public static boolean isSource(String candidate) {
        return candidate != null && SOURCE.matcher(candidate).matches();
    }
}
