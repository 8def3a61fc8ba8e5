package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrigramPendingListTest {

    @Test
    void startsShortGrowsForLoadsAndComesBackForUpdates() {
        TrigramPendingList list = new TrigramPendingList();
        assertThat(list.limit()).isEqualTo(TrigramPendingList.UPDATES);
        list.wrote(0, 0);
        assertThat(list.limit()).isEqualTo(TrigramPendingList.UPDATES);
        list.wrote(1_000, 1_000);
        assertThat(list.limit()).as("one statement of inserts is not yet a load").isEqualTo(TrigramPendingList.UPDATES);
        list.wrote(1_000, 1_000);
        assertThat(list.limit()).isEqualTo(TrigramPendingList.LOADS);
        for (int i = 0; i < 200; i++) {
            list.wrote(0, 1);
        }
        assertThat(list.limit()).as("a trickle of one-row updates during a load").isEqualTo(TrigramPendingList.LOADS);
        for (int i = 0; i < 3; i++) {
            list.wrote(0, 1_000);
        }
        assertThat(list.limit()).isEqualTo(TrigramPendingList.UPDATES);
    }

    @Test
    void aStreamOfHalfNewHalfUpdatedRowsDoesNotFlip() {
        TrigramPendingList list = new TrigramPendingList();
        for (int i = 0; i < 50; i++) {
            list.wrote(i % 2 == 0 ? 300 : 700, 1_000);
            assertThat(list.limit()).isEqualTo(TrigramPendingList.UPDATES);
        }
    }
}
