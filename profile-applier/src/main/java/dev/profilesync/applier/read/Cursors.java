package dev.profilesync.applier.read;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;

/**
 * The opaque page cursors of the search API: the display name and id of the last profile of a page, URL-safe
 * Base64. A cursor names a position in the listing order, not a query: it is good with the query it came from, and
 * never expires.
 */
final class Cursors {

    private static final char SEPARATOR = '\u0000';

    private Cursors() {
    }

    static String encode(StoredProfile last) {
        Object name = last.fields().get(ProfileField.DISPLAY_NAME);
        String text = (name == null ? "" : name.toString()) + SEPARATOR + last.userId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<ProfileQueries.After> decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int split = text.lastIndexOf(SEPARATOR);
        if (split < 0) {
            return Optional.empty();
        }
        String userId = text.substring(split + 1);
        return Identifiers.userId(userId).map(id -> new ProfileQueries.After(text.substring(0, split), id));
    }
}
