package dev.profilesync.applier.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class KeyedOffsetsTest {

    private static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final String ALAN = "6e7b768e-07e2-4810-8459-485f84f8f205";

    @Test
    void countsAUsersRecordsBetweenTwoOffsets() {
        KeyedOffsets records = new KeyedOffsets();
        records.add(10, ADA);
        records.add(11, ALAN);
        records.add(12, ADA);
        records.add(15, ADA);
        assertThat(records.count(ADA, 0, 100)).isEqualTo(3);
        assertThat(records.count(ADA, 11, 15)).isEqualTo(1);
        assertThat(records.count(ADA, 12, 16)).isEqualTo(2);
        assertThat(records.count(ALAN, 0, 100)).isEqualTo(1);
        assertThat(records.count(ALAN, 12, 100)).isZero();
    }

    @Test
    void aUserIdMatchesInEitherLetterCaseAndOtherKeysAreNotRemembered() {
        KeyedOffsets records = new KeyedOffsets();
        assertThat(records.add(1, ADA.toUpperCase())).isTrue();
        assertThat(records.add(2, "not-a-guid")).isFalse();
        assertThat(records.add(3, null)).isFalse();
        assertThat(records.add(4, "6e7b768e+07e2-4810-8459-485f84f8f204")).isFalse();
        assertThat(records.add(5, "6e7b768e-07e2-4810-8459-485f84f8f20g")).isFalse();
        assertThat(records.size()).isEqualTo(1);
        assertThat(records.count(ADA, 0, 10)).isEqualTo(1);
        assertThat(records.count("nobody", 0, 10)).isZero();
    }

    @Test
    void forgetsWhatTheGroupCommittedPastAndKeepsCountingAcrossTheRingsWrapAndGrowth() {
        KeyedOffsets records = new KeyedOffsets();
        Random random = new Random(7);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(UUID.randomUUID().toString());
        }
        List<long[]> expected = new ArrayList<>(); // offset, key index
        long committed = 0;
        for (long offset = 0; offset < 20_000; offset++) {
            int key = random.nextInt(keys.size());
            records.add(offset, keys.get(key));
            expected.add(new long[] {offset, key});
            if (offset % 700 == 0) {
                committed = offset - random.nextInt(300);
                int forgotten = records.forgetBelow(committed);
                long below = committed;
                int before = expected.size();
                expected.removeIf(e -> e[0] < below);
                assertThat(forgotten).isEqualTo(before - expected.size());
            }
            if (offset % 997 == 0) {
                for (int k = 0; k < keys.size(); k++) {
                    long from = committed + random.nextInt(50);
                    long end = offset + 1 - random.nextInt(50);
                    int which = k;
                    long count = expected.stream().filter(e -> e[1] == which && e[0] >= from && e[0] < end).count();
                    assertThat(records.count(keys.get(k), from, end)).isEqualTo((int) count);
                }
            }
        }
        assertThat(records.size()).isEqualTo(expected.size());
        assertThat(records.forgetBelow(Long.MAX_VALUE)).isEqualTo(expected.size());
        assertThat(records.size()).isZero();
        records.add(30_000, ADA);
        assertThat(records.count(ADA, 0, Long.MAX_VALUE)).isEqualTo(1);
    }
}
