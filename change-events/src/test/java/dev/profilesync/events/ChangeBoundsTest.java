package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ChangeBoundsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ChangeBounds bounds = new ChangeBounds(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    @Test
    void observedTimesFromNineteenSeventyToNowPlusTheSkewAreAccepted() {
        assertThat(bounds.observedAtProblem(Instant.EPOCH)).isNull();
        assertThat(bounds.observedAtProblem(NOW.plus(Duration.ofMinutes(5)))).isNull();
        assertThat(bounds.observedAtProblem(Instant.EPOCH.minusMillis(1))).contains("before 1970");
        assertThat(bounds.observedAtProblem(NOW.plus(Duration.ofMinutes(5)).plusMillis(1))).contains("future");
        assertThat(bounds.observedAtProblem(Instant.parse("2300-01-01T00:00:00Z"))).contains("future");
    }

    @Test
    void textMustBeValidUnicodeWithoutControlCharactersButTabCrLf() {
        assertThat(ChangeBounds.textProblem("Ada Lovelace\tLondon\r\nUK")).isNull();
        assertThat(ChangeBounds.textProblem("emoji \uD83D\uDE00 and ñ")).isNull();
        assertThat(ChangeBounds.textProblem("nul\u0000")).contains("NUL");
        assertThat(ChangeBounds.textProblem("bell\u0007")).contains("U+0007");
        assertThat(ChangeBounds.textProblem("escape\u001B[31m")).contains("U+001B");
        assertThat(ChangeBounds.textProblem("c1\u0085")).contains("U+0085");
        assertThat(ChangeBounds.textProblem("lone \uD800 high")).contains("unpaired");
        assertThat(ChangeBounds.textProblem("lone \uDC00 low")).contains("unpaired");
        assertThat(ChangeBounds.textProblem("ends high \uD83D")).contains("unpaired");
    }
}
