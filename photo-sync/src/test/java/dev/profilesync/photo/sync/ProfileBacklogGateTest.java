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

    @Test
    void theInflowIsTheGrowthOfTheLastOffsetsPerSecond() {
        long second = 1_000_000_000L;
        assertThat(ProfileBacklogGate.ratePerSecond(-1, 0, 5_000, second)).as("no earlier reading").isEqualTo(-1);
        assertThat(ProfileBacklogGate.ratePerSecond(1_000, second, 6_000, 3 * second)).isEqualTo(2_500);
        assertThat(ProfileBacklogGate.ratePerSecond(1_000, second, 1_000, 2 * second)).isZero();
        assertThat(ProfileBacklogGate.ratePerSecond(9_000, second, 10, 2 * second)).as("the topic was recreated")
                .isEqualTo(-1);
        assertThat(ProfileBacklogGate.ratePerSecond(1_000, second, 2_000, second)).as("no time passed").isEqualTo(-1);
    }

    @Test
    void anUnknownInflowNeverPauses() {
        assertThat(ProfileBacklogGate.pauseAfter(false, -1, 2_000)).isFalse();
        assertThat(ProfileBacklogGate.pauseAfter(true, -1, 2_000)).isFalse();
    }
}
