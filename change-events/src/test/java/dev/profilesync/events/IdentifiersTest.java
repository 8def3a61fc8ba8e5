package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void newEventIdsAreValidUniqueVersionFourUuidsAfterTheSource() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = Identifiers.newEventId("graph");
            assertThat(Identifiers.isEventId(id)).as(id).isTrue();
            assertThat(id).startsWith("graph-");
            UUID uuid = UUID.fromString(id.substring("graph-".length()));
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id.substring("graph-".length()));
            assertThat(seen.add(id)).as("unique").isTrue();
        }
    }

    @Test
    void guidsOfEitherCaseAreUserIdsInLowerCase() {
        assertThat(Identifiers.userId("0F8FAD5B-D9CB-469F-A165-70867728950E"))
                .hasValue("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(Identifiers.userId("0f8fad5b-d9cb-469f-a165-70867728950")).isEmpty();
        assertThat(Identifiers.isEventId("graph-1")).isTrue();
        assertThat(Identifiers.isEventId("graph 1")).isFalse();
    }
}
