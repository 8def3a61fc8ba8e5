package dev.profilesync.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Measures a drain. Two clocks, for two kinds of consumer:
 * <ul>
 * <li>{@link #fromNow}: the caller knows when consuming starts (a paused container resumed after its group settled)
 * and calls at that moment; the clock runs from then until every change is done, and every change counts.</li>
 * <li>{@link #fromFirst}: the caller cannot tell when consuming starts (a container that joins its group on start);
 * the clock runs from the first change done, and the changes done by then are not counted. That is only fair to a
 * consumer that makes its work visible a record or a small batch at a time: one that commits a whole poll of tens of
 * thousands of changes at once (the applier) has done several polls' work, on all its threads, by the time the first
 * commit shows, and would be credited with it for free.</li>
 * </ul>
 */
final class Throughput {

    static final Duration LIMIT = Duration.ofMinutes(10);

    private Throughput() {
    }

    /** Changes per second from this call until {@code expected} are done. */
    static double fromNow(LongSupplier done, long expected) throws InterruptedException {
        long start = System.nanoTime();
        return expected / ((awaitAll(done, expected, start + LIMIT.toNanos()) - start) / 1e9);
    }

    /**
     * Changes per second from the first change done until {@code expected} are; throws when they are not done within
     * {@link #LIMIT}.
     */
    static double fromFirst(LongSupplier done, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long first;
        while ((first = done.getAsLong()) == 0) {
            check(deadline, 0, expected);
            Thread.sleep(5);
        }
        long start = System.nanoTime();
        return (expected - first) / ((awaitAll(done, expected, deadline) - start) / 1e9);
    }

    /** Polls {@code done} until it reaches {@code expected}; returns {@link System#nanoTime()} then. */
    private static long awaitAll(LongSupplier done, long expected, long deadline) throws InterruptedException {
        long now;
        while ((now = done.getAsLong()) < expected) {
            check(deadline, now, expected);
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    private static void check(long deadline, long done, long expected) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("only " + done + " of " + expected + " changes done within " + LIMIT);
        }
    }
}
