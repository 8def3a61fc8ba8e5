package dev.profilesync.events;

import java.util.Locale;
import java.util.Optional;

/**
 * Syntax rules for user ids, event ids and source names, shared by every entry point. The rules are the patterns of
 * the JSON Schemas ({@code [0-9a-fA-F]{8}-...-[0-9a-fA-F]{12}}, {@code [A-Za-z0-9._:-]{1,128}},
 * {@code [A-Za-z0-9][A-Za-z0-9._:/-]{0,127}}), checked character by character: the applier runs them for every
 * record, where regular expressions were a measurable share of the decoding time.
 */
public final class Identifiers {

    private static final int GUID_LENGTH = 36;
    private static final int MAX_ID_LENGTH = 128;

    private Identifiers() {
    }

    /** The user id in canonical (lower-case) form, or empty when it is not a directory object id (a GUID). */
    public static Optional<String> userId(String candidate) {
        if (!isGuid(candidate)) {
            return Optional.empty();
        }
        return Optional.of(candidate.toLowerCase(Locale.ROOT));
    }

    /**
     * A new event id of {@code source}: {@code <source>-<random version-4 UUID>}. The 122 random bits come from the
     * thread's {@link java.util.concurrent.ThreadLocalRandom}, not {@link java.util.UUID#randomUUID()}'s
     * {@code SecureRandom}: an event id must be unique, not unguessable, and a full load makes two a user (reading
     * {@code /dev/urandom} under a lock was 4 % of directory-sync's reader thread).
     */
    public static String newEventId(String source) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long hi = random.nextLong() & ~0xF000L | 0x4000L;
        long lo = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return source + "-" + new java.util.UUID(hi, lo);
    }

    public static boolean isEventId(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    public static boolean isSource(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_ID_LENGTH
                || !isAsciiLetterOrDigit(candidate.charAt(0))) {
            return false;
        }
        for (int i = 1; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '/' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code candidate} is a directory object id: a GUID in the 8-4-4-4-12 form, hex digits of either case. */
    public static boolean isGuid(String candidate) {
        if (candidate == null || candidate.length() != GUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < GUID_LENGTH; i++) {
            char c = candidate.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : isHexDigit(c);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
