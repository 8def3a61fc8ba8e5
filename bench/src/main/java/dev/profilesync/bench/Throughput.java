package dev.profilesync.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Measures a drain: the rate from the moment the first change is done to the moment all are, so that start-up and
 * the consumer group join are not counted against anybody.
 */
final class Throughput {

    static final Duration LIMIT = Duration.ofMinutes(10);

    private Throughput() {
    }

    /** Changes per second; throws when {@code expected} is not reached within {@link #LIMIT}. */
    static double measure(LongSupplier done, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long first;
        while ((first = done.getAsLong()) == 0) {
            check(deadline, 0, expected);
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        long now;
        while ((now = done.getAsLong()) < expected) {
            check(deadline, now, expected);
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (expected - first) / seconds;
    }

    private static void check(long deadline, long done, long expected) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("only " + done + " of " + expected + " changes done within " + LIMIT);
        }
    }
}
