package dev.profilesync.photo.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProfileBacklogGateTest {

    @Test
    void pausesAboveTheLimitAndResumesOnlyUnderHalfOfIt() {
        assertThat(ProfileBacklogGate.pauseAfter(false, 5_000, 5_000)).isFalse();
        assertThat(ProfileBacklogGate.pauseAfter(false, 5_001, 5_000)).isTrue();
        assertThat(ProfileBacklogGate.pauseAfter(true, 4_000, 5_000)).as("still behind: stays paused").isTrue();
        assertThat(ProfileBacklogGate.pauseAfter(true, 2_501, 5_000)).isTrue();
        assertThat(ProfileBacklogGate.pauseAfter(true, 2_500, 5_000)).isFalse();
        assertThat(ProfileBacklogGate.pauseAfter(false, 4_000, 5_000)).as("running: not paused under the limit")
                .isFalse();
    }

    @Test
    void aLimitOfZeroNeverPauses() {
        assertThat(ProfileBacklogGate.pauseAfter(false, Long.MAX_VALUE, 0)).isFalse();
        assertThat(ProfileBacklogGate.pauseAfter(true, Long.MAX_VALUE, 0)).isFalse();
    }
}
