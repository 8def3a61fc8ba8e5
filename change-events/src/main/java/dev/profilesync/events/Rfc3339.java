package dev.profilesync.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Parses RFC 3339 timestamps ({@code ce_time}, {@code observedAt}) exactly as {@link OffsetDateTime#parse} does, with
 * a fast path for the UTC form every producer of this contract writes ({@code 2026-01-01T10:00:00.123456Z}). The
 * applier parses one per record; the general formatter was a measurable share of its decoding time. Anything the fast
 * path does not recognise, valid or not, goes to {@link OffsetDateTime#parse}, so both accept the same strings.
 */
public final class Rfc3339 {

    /** The longest text {@link #write} writes: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    public static final int MAX_LENGTH = 30;

    private static final int SECONDS_END = 19;

    /** The day of the last timestamp written, by any thread. */
    private static Day lastDay;

    private Rfc3339() {
    }

    /** @throws DateTimeParseException when {@code text} is not an RFC 3339 date-time with an offset */
    public static Instant parse(String text) {
        Instant fast = parseUtc(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /**
     * The instant as {@link Instant#toString()} writes it ({@code 2026-01-01T10:00:00.123456Z}: seconds always, the
     * fraction in groups of three digits as far as needed), without its general formatter for the years 0 to 9999.
     * The read API writes two per profile.
     */
    public static String format(Instant instant) {
        byte[] out = new byte[MAX_LENGTH];
        int end = write(instant, out, 0);
        return end < 0 ? instant.toString() : new String(out, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes what {@link #format} returns as ASCII bytes at {@code at} and returns the index after them, or -1 (and
     * writes nothing) for a year outside 0 to 9999, which only {@link Instant#toString()} writes. {@code out} needs
     * {@link #MAX_LENGTH} bytes from {@code at}. The snapshot stream writes some twenty per profile this way, with no
     * string in between.
     */
    public static int write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        Day day = lastDay;
        if (day == null || day.epochDay != days) {
            day = Day.of(days);
            if (day == null) {
                return -1;
            }
            lastDay = day;
        }
        System.arraycopy(day.text, 0, out, at, Day.LENGTH);
        int i = at + Day.LENGTH;
        out[i++] = 'T';
        i = put(out, i, secondOfDay / 3600, 2);
        out[i++] = ':';
        i = put(out, i, secondOfDay / 60 % 60, 2);
        out[i++] = ':';
        i = put(out, i, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos > 0) {
            out[i++] = '.';
            if (nanos % 1_000_000 == 0) {
                i = put(out, i, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                i = put(out, i, nanos / 1_000, 6);
            } else {
                i = put(out, i, nanos, 9);
            }
        }
        out[i++] = 'Z';
        return i;
    }

    private static int put(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /**
     * {@code yyyy-MM-dd} of one epoch day, immutable (final fields: safe to hand between threads through a plain
     * field). Most timestamps written in a row fall on the same day, and finding the date of an epoch day was half the
     * cost of writing a timestamp.
     */
    private static final class Day {

        static final int LENGTH = 10;
        final long epochDay;
        final byte[] text = new byte[LENGTH];

        private Day(long epochDay, int year, int month, int dayOfMonth) {
            this.epochDay = epochDay;
            put(text, 0, year, 4);
            text[4] = '-';
            put(text, 5, month, 2);
            text[7] = '-';
            put(text, 8, dayOfMonth, 2);
        }

        /** The day, or null for a year outside 0 to 9999. */
        static Day of(long epochDay) {
            java.time.LocalDate date;
            try {
                date = java.time.LocalDate.ofEpochDay(epochDay);
            } catch (DateTimeException e) {
                return null;
            }
            if (date.getYear() < 0 || date.getYear() > 9999) {
                return null;
            }
            return new Day(epochDay, date.getYear(), date.getMonthValue(), date.getDayOfMonth());
        }
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null when the text has any other shape. */
    private static Instant parseUtc(String text) {
        int length = text.length();
        if (length < SECONDS_END + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int nanos = 0;
        int end = length - 1;
        if (end > SECONDS_END) {
            int fractionDigits = end - SECONDS_END - 1;
            if (text.charAt(SECONDS_END) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(text, SECONDS_END + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // out of range: let the general parser produce its error
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
