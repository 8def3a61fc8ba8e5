package dev.profilesync.applier.write;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.UserEvent;

/**
 * One store transaction for one poll, written part by part on a writer thread while the consumer thread decodes and
 * merges the next part. The poll still commits as one transaction, and {@link #commit()} returns only once it has
 * committed, so the container commits offsets after the database does, as before. Without it the consumer thread
 * alternated between decoding (CPU) and waiting for PostgreSQL; with it both run at once.
 *
 * <p>A user may appear in two parts: each part is merged on its own and written in order in the same transaction,
 * and the convergent upsert makes the second write see the first.
 */
final class PipelinedWrite implements AutoCloseable {

    private static final List<PendingProfile> COMMIT = new ArrayList<>(0);
    private static final List<PendingProfile> ABORT = new ArrayList<>(0);

    private final BlockingQueue<List<PendingProfile>> parts = new LinkedBlockingQueue<>();
    private final List<UserEvent> events = new ArrayList<>();
    private final BatchMerger merger;
    private final BiConsumer<List<UserEvent>, Integer> committed;
    private final Future<Integer> writer;
    /** The rows as the statements left them, by user, the last part's winning; null when not asked for. */
    private final Map<String, StoredProfile> written;
    private boolean finished;

    /**
     * @param returning whether to collect the rows as written ({@link #written()}); the store must
     *        {@linkplain ProfileWriter#returnsRows() return rows}
     */
    PipelinedWrite(ExecutorService writers, ProfileWriter store, BatchMerger merger, Clock clock, boolean returning,
            BiConsumer<List<UserEvent>, Integer> committed) {
        this.merger = merger;
        this.committed = committed;
        this.written = returning ? new HashMap<>() : null;
        this.writer = writers.submit(() -> store.inTransaction(() -> writeParts(store, clock)));
    }

    /**
     * After {@link #commit()}: every user written, as its row stood when the transaction committed (this poll's
     * parts all ran in it, and the row was locked from the first write on); empty when rows were not collected.
     */
    Optional<Collection<StoredProfile>> written() {
        return written == null ? Optional.empty() : Optional.of(written.values());
    }

    /** Merges {@code part} and hands it to the writer; returns at once. */
    void write(List<? extends UserEvent> part) {
        if (finished) {
            throw new IllegalStateException("already committed or aborted");
        }
        events.addAll(part);
        Collection<PendingProfile> rows = merger.merge(part);
        if (!rows.isEmpty()) {
            parts.add(new ArrayList<>(rows));
        }
    }

    /**
     * Waits until every part is written and the transaction has committed.
     *
     * @throws RuntimeException what the writer failed with (the database is down, a deadlock, ...); nothing of this
     *     poll is then in the store
     */
    void commit() {
        finished = true;
        parts.add(COMMIT);
        int rows = await();
        committed.accept(events, rows);
    }

    /** Rolls back unless {@link #commit()} was called. */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            parts.add(ABORT);
            try {
                await();
            } catch (RuntimeException expected) {
                // rolled back, as asked
            }
        }
    }

    private int writeParts(ProfileWriter store, Clock clock) {
        int rows = 0;
        while (true) {
            List<PendingProfile> part;
            try {
                part = parts.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next part of a poll", e);
            }
            if (part == COMMIT) {
                return rows;
            }
            if (part == ABORT) {
                throw new AbortedException();
            }
            store.upsert(part, clock.instant(), written == null ? null : row -> written.put(row.userId(), row));
            rows += part.size();
        }
    }

    private int await() {
        try {
            return writer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            parts.add(ABORT);
            throw new IllegalStateException("interrupted while the store transaction was running", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("the store transaction failed", e.getCause());
        }
    }

    /** Ends the writer's transaction with a rollback. */
    private static final class AbortedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortedException() {
            super("poll abandoned before it was committed", null, false, false);
        }
    }
}
