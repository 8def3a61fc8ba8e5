package dev.profilesync.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for Graph requests, changed at run time through the admin API: every n-th request answered with
 * 429 (with Retry-After) or 503, every n-th delta page sent as broken JSON, and a delay on every response.
 *
 * @param throttleEvery 0 = never; n = every n-th request gets 429
 * @param unavailableEvery 0 = never; n = every n-th request gets 503
 * @param malformedEvery 0 = never; n = every n-th delta page is truncated JSON
 * @param delayMillis added to every Graph response
 * @param retryAfterSeconds the Retry-After of a 429 or 503
 */
public record Faults(int throttleEvery, int unavailableEvery, int malformedEvery, int delayMillis,
        int retryAfterSeconds) {

    public static final Faults NONE = new Faults(0, 0, 0, 0, 1);

    /** What to do with one request. */
    enum Outcome {
        SERVE,
        THROTTLE,
        UNAVAILABLE
    }

    Outcome next(AtomicLong counter) {
        long n = counter.incrementAndGet();
        if (throttleEvery > 0 && n % throttleEvery == 0) {
            return Outcome.THROTTLE;
        }
        if (unavailableEvery > 0 && n % unavailableEvery == 0) {
            return Outcome.UNAVAILABLE;
        }
        return Outcome.SERVE;
    }

    boolean malformed(AtomicLong pages) {
        return malformedEvery > 0 && pages.incrementAndGet() % malformedEvery == 0;
    }
}
