package dev.profilesync.applier.write;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.ProfileField;

/**
 * Which source may write which fields: directory-mastered fields only from directory sources, user-owned fields only
 * from self-service, photo fields only from photo-sync. Only directory sources may delete a user.
 */
public final class FieldOwnership {

    private final Map<String, FieldOwner> ownerBySource = new HashMap<>();

    public FieldOwnership(Map<FieldOwner, List<String>> sourcesByOwner) {
        sourcesByOwner.forEach((owner, sources) -> sources.forEach(source -> {
            FieldOwner previous = ownerBySource.put(source, owner);
            if (previous != null && previous != owner) {
                throw new IllegalArgumentException("source " + source + " is listed for both " + previous + " and "
                        + owner);
            }
        }));
    }

    boolean mayWrite(String source, ProfileField field) {
        return ownerBySource.get(source) == field.owner();
    }

    boolean mayDelete(String source) {
        return ownerBySource.get(source) == FieldOwner.DIRECTORY;
    }
}
