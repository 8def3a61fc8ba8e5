package dev.profilesync.photo.sync;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Two lanes over one Graph allowance and one CPU budget. The priority lane (photo syncs somebody asked for) always
 * goes first: a Graph permit freed while a priority call waits goes to it, and while a priority sync is in progress
 * bulk work (new users, sweeps) does not start another Graph call or render, so the requested photo has the cores to
 * itself. Bulk work already running finishes its step; a priority sync waits at most for one bulk Graph call or render.
 * Both lanes together never have more than {@code permits} Graph calls in flight (Graph allows 4 photo requests per
 * app at a time). The bulk lane may also be held to a rate (photos a second), so that a co-located full load or the
 * tenant's Graph budget is not spent on background photos; requested syncs are never rate-limited.
 */
final class PhotoLanes {

    /** Which lane a piece of work belongs to. */
    enum Lane {
        PRIORITY, BULK
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int permits;
    private int inFlight;
    private int priorityWaiting;
    private int priorityActive;
    /** Nanoseconds between two bulk photos; 0 = no rate limit. */
    private final long bulkInterval;
    /** When the next bulk photo may start (guarded by {@link #lock}). */
    private long bulkNext = System.nanoTime();

    PhotoLanes(int permits) {
        this(permits, 0);
    }

    /**
     * @param bulkRate most bulk photos started a second; 0 = no limit
     */
    PhotoLanes(int permits, double bulkRate) {
        if (permits < 1) {
            throw new IllegalArgumentException("at least one Graph permit, was " + permits);
        }
        if (bulkRate < 0 || Double.isNaN(bulkRate)) {
            throw new IllegalArgumentException("the bulk rate is 0 (no limit) or positive, was " + bulkRate);
        }
        this.permits = permits;
        this.bulkInterval = bulkRate == 0 ? 0 : Math.max(1, Math.round(1e9 / bulkRate));
    }

    /** Whether the bulk lane is held to a rate. */
    boolean limitsBulk() {
        return bulkInterval > 0;
    }

    /**
     * Waits for the bulk lane's next slot under its rate: slots are handed out one interval apart, in the order they
     * are asked for, and a lane that was idle does not save up a burst.
     */
    void awaitBulkSlot() {
        if (bulkInterval == 0) {
            return;
        }
        long slot;
        lock.lock();
        try {
            slot = Math.max(bulkNext, System.nanoTime());
            bulkNext = slot + bulkInterval;
        } finally {
            lock.unlock();
        }
        for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the bulk lane's next slot");
            }
        }
    }

    /** Marks the start of a priority sync: bulk work pauses at its next step until {@link #endPriority}. */
    void beginPriority() {
        lock.lock();
        try {
            priorityActive++;
        } finally {
            lock.unlock();
        }
    }

    void endPriority() {
        lock.lock();
        try {
            priorityActive--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs one Graph call within the allowance, priority calls first. */
    <T> T graph(Lane lane, Supplier<T> call) {
        acquire(lane);
        try {
            return call.get();
        } finally {
            release();
        }
    }

    /** Runs CPU work (decode, render) of a lane; bulk work waits while a priority sync is in progress. */
    <T, E extends Exception> T cpu(Lane lane, Work<T, E> work) throws E {
        if (lane == Lane.BULK) {
            awaitNoPriority();
        }
        return work.run();
    }

    /** Work that may throw a checked exception. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private void acquire(Lane lane) {
        lock.lock();
        try {
            if (lane == Lane.PRIORITY) {
                priorityWaiting++;
                try {
                    while (inFlight >= permits) {
                        changed.await();
                    }
                } finally {
                    priorityWaiting--;
                }
            } else {
                while (inFlight >= permits || priorityWaiting > 0 || priorityActive > 0) {
                    changed.await();
                }
            }
            inFlight++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Graph permit", e);
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitNoPriority() {
        lock.lock();
        try {
            while (priorityActive > 0 || priorityWaiting > 0) {
                // bounded: a lost signal costs at most this, never a stuck bulk lane
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while bulk work waited for the priority lane", e);
        } finally {
            lock.unlock();
        }
    }

    /** Graph calls in flight now (for tests and the gauge). */
    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
