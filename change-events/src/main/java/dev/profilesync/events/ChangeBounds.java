package dev.profilesync.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bounds every door applies to a change, whichever way it arrives (HTTP, CloudEvents on Kafka, Graph pages, SCIM):
 * when it was observed must lie between 1970-01-01 and now plus the tolerated clock skew (a change "from the future"
 * would win every later change of its fields), and text must be valid Unicode without NUL or control characters other
 * than tab, CR and LF. One implementation, so no door accepts what another refuses.
 */
public final class ChangeBounds {

    /** The default tolerated clock skew between a source and this system. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** The earliest acceptable observed time. */
    public static final Instant EARLIEST = Instant.EPOCH;

    private final Clock clock;
    private final Duration maxClockSkew;

    public ChangeBounds(Clock clock, Duration maxClockSkew) {
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("max clock skew must not be negative");
        }
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
    }

    /** The system clock with {@link #DEFAULT_MAX_CLOCK_SKEW}. */
    public static ChangeBounds defaults() {
        return new ChangeBounds(Clock.systemUTC(), DEFAULT_MAX_CLOCK_SKEW);
    }

    /** Why {@code observedAt} is out of bounds, or null when it is fine. */
    public String observedAtProblem(Instant observedAt) {
        if (observedAt.isBefore(EARLIEST)) {
            return "the observed time " + observedAt + " is before 1970-01-01";
        }
        Instant latest = clock.instant().plus(maxClockSkew);
        if (observedAt.isAfter(latest)) {
            return "the observed time " + observedAt + " is in the future (more than " + maxClockSkew
                    + " after this system's clock)";
        }
        return null;
    }

    /**
     * Why {@code text} is not acceptable, or null when it is: NUL, a control character other than tab, CR and LF, or a
     * surrogate without its pair (text that is not valid Unicode).
     */
    public static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains NUL (U+0000)";
            }
            if (Character.isISOControl(c) && c != '\t' && c != '\r' && c != '\n') {
                return String.format("contains the control character U+%04X", (int) c);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return String.format("contains an unpaired surrogate U+%04X (not valid Unicode)", (int) c);
                }
            } else if (Character.isLowSurrogate(c)) {
                return String.format("contains an unpaired surrogate U+%04X (not valid Unicode)", (int) c);
            }
        }
        return null;
    }
}
