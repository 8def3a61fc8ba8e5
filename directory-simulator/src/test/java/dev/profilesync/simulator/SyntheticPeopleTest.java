package dev.profilesync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SyntheticPeopleTest {

    @Test
    void paddedNumbersAreWhatFormatWouldGive() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long number = random.nextLong(i % 2 == 0 ? 100_000_000 : 10_000_000_000L);
            assertThat(SyntheticPeople.padded("+47 ", number, 8))
                    .isEqualTo(String.format(Locale.ROOT, "+47 %08d", number));
        }
        assertThat(SyntheticPeople.padded("+47 2", 0, 7)).isEqualTo("+47 20000000");
    }

    @Test
    void theSameSeedMakesTheSamePeople() {
        SyntheticPeople a = new SyntheticPeople(42, "contoso.example");
        SyntheticPeople b = new SyntheticPeople(42, "contoso.example");
        assertThat(a.user(12_345)).isEqualTo(b.user(12_345));
        assertThat(a.indexOf(a.id(12_345))).isEqualTo(12_345);
        assertThat((String) a.user(3).get("mobilePhone")).matches("\\+47 \\d{8}");
    }
}
