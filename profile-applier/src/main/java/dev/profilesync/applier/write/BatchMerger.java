package dev.profilesync.applier.write;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;

/**
 * Folds the events of one poll into one {@link PendingProfile} per user, enforcing field ownership. Folding is a merge
 * of last-writer-wins registers, so the result does not depend on the order of the events or on duplicates.
 */
public final class BatchMerger {

    /** Told about every write the ownership rule refused. */
    public interface Refusals {
        /** For tools and tests that do not count refusals. */
        Refusals UNCOUNTED = new Refusals() {
            @Override
            public void fieldRefused(String source, ProfileField field) {
            }

            @Override
            public void deletionRefused(String source) {
            }
        };

        void fieldRefused(String source, ProfileField field);

        void deletionRefused(String source);
    }

    private final FieldOwnership ownership;
    private final Refusals refusals;

    public BatchMerger(FieldOwnership ownership, Refusals refusals) {
        this.ownership = ownership;
        this.refusals = refusals;
    }

    public Collection<PendingProfile> merge(List<? extends UserEvent> events) {
        Map<String, PendingProfile> byUser = new LinkedHashMap<>();
        for (UserEvent event : events) {
            PendingProfile pending = byUser.computeIfAbsent(event.userId(), PendingProfile::new);
            Version version = Version.of(event.observedAt(), event.eventId());
            if (event instanceof UserChanged changed) {
                applyChange(pending, changed, version);
            } else if (event instanceof UserDeleted deleted) {
                applyDeletion(pending, deleted, version);
            }
        }
        byUser.values().removeIf(pending -> !pending.hasWrites());
        return byUser.values();
    }

    private void applyChange(PendingProfile pending, UserChanged changed, Version version) {
        boolean accepted = false;
        for (Map.Entry<ProfileField, Object> entry : changed.fields().entrySet()) {
            if (ownership.mayWrite(changed.source(), entry.getKey())) {
                pending.write(entry.getKey(), entry.getValue(), version);
                accepted = true;
            } else {
                refusals.fieldRefused(changed.source(), entry.getKey());
            }
        }
        if (accepted) {
            // only directory sources decide whether a user exists; the others may create, never resurrect
            pending.markPresent(true, ownership.mayDelete(changed.source()) ? version : Version.WEAKEST);
            pending.observed(version, changed.source());
        }
    }

    private void applyDeletion(PendingProfile pending, UserDeleted deleted, Version version) {
        if (ownership.mayDelete(deleted.source())) {
            pending.delete(version);
            pending.observed(version, deleted.source());
        } else {
            refusals.deletionRefused(deleted.source());
        }
    }
}
