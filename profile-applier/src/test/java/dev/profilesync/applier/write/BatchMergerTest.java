package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;

class BatchMergerTest {

    private static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private final List<String> refused = new ArrayList<>();
    private final BatchMerger merger = new BatchMerger(new FieldOwnership(Map.of(
            FieldOwner.DIRECTORY, List.of("graph"), FieldOwner.SELF_SERVICE, List.of("self-service"),
            FieldOwner.PHOTO, List.of("photo-sync"))), new BatchMerger.Refusals() {
                @Override
                public void fieldRefused(String source, ProfileField field) {
                    refused.add(source + ":" + field.jsonName());
                }

                @Override
                public void deletionRefused(String source) {
                    refused.add(source + ":delete");
                }
            });

    @Test
    void aPhotoChangeAfterADeletionDoesNotBringTheUserBack() {
        PendingProfile merged = single(merger.merge(List.of(
                new UserDeleted("d", ADA, "graph", T),
                new UserChanged("p", ADA, "photo-sync", T.plusSeconds(5), Map.of(ProfileField.PHOTO_ETAG, "e1")))));
        assertThat(merged.presence().value()).isEqualTo(false);
        assertThat(merged.field(ProfileField.PHOTO_ETAG).value()).isEqualTo("e1");
    }

    @Test
    void aDirectoryChangeAfterADeletionRecreatesTheUser() {
        PendingProfile merged = single(merger.merge(List.of(
                new UserDeleted("d", ADA, "graph", T),
                new UserChanged("c", ADA, "graph", T.plusSeconds(5), Map.of(ProfileField.JOB_TITLE, "Back")))));
        assertThat(merged.presence().value()).isEqualTo(true);
    }

    @Test
    void writesFromSourcesThatDoNotOwnAFieldAreRefusedAndCounted() {
        PendingProfile merged = single(merger.merge(List.of(
                new UserChanged("a", ADA, "self-service", T, Map.of(ProfileField.JOB_TITLE, "CEO",
                        ProfileField.ABOUT_ME, "hi")),
                new UserDeleted("b", ADA, "self-service", T.plusSeconds(1)))));
        assertThat(merged.field(ProfileField.JOB_TITLE)).isNull();
        assertThat(merged.field(ProfileField.ABOUT_ME).value()).isEqualTo("hi");
        assertThat(refused).containsExactlyInAnyOrder("self-service:jobTitle", "self-service:delete");
    }

    private static PendingProfile single(java.util.Collection<PendingProfile> merged) {
        assertThat(merged).hasSize(1);
        return merged.iterator().next();
    }
}
