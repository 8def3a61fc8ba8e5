package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T00:00:00Z", "2026-11-25T06:10:33.1Z", "2026-11-25T06:10:33.123456Z",
        "2026-11-25T06:10:33.123456789Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000000001Z",
        "2026-11-25T06:10:33+02:00", "2026-11-25T06:10:33.5-05:30", "2026-11-25T06:10Z", "0001-01-01T00:00:00Z",
        // leniencies of the JDK parser, which the fast path leaves to it
        "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T00:00:00.Z"})
    void agreesWithTheGeneralParserOnValidTimes(String text) {
        Instant expected = OffsetDateTime.parse(text).toInstant();
        assertThat(Rfc3339.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
        "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "2026-0a-01T00:00:00Z",
        "2026-01-01T00:00:00.12a4Z", "2026-01-01T00:00:00,5Z",
        "2026-01-01T00:00:00+25:00", "yesterday"})
    void rejectsWhatTheGeneralParserRejects(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @org.junit.jupiter.api.Test
    void formatsExactlyAsInstantDoes() {
        java.util.Random random = new java.util.Random(42);
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-11-25T08:00:00Z"),
                Instant.parse("2026-11-25T08:00:00.100Z"), Instant.parse("2026-11-25T08:00:00.000100Z"),
                Instant.parse("2026-11-25T08:00:00.000000001Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T00:00:00Z"), Instant.MIN,
                Instant.MAX));
        for (int n = 0; n < 100_000; n++) {
            long micros = random.nextLong(-62_000_000_000_000_000L, 253_000_000_000_000_000L);
            instants.add(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS)
                    .plusNanos(n % 3 == 0 ? random.nextInt(1000) : 0));
        }
        for (Instant instant : instants) {
            assertThat(Rfc3339.format(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
    }
}
