package dev.profilesync.applier.write;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>With a sink, the rows each statement leaves ({@code RETURNING}) come back part by part and are handed to it on
 * the consumer thread while the writer goes on with the next part, so publishing them overlaps with the database's
 * work. A user's row is handed over once, from the last part that writes it.
 */
final class PipelinedWrite implements AutoCloseable {

    /** A part of the poll, merged, numbered from 0. */
    private record Part(int index, List<PendingProfile> rows) {
    }

    /** The rows a part's statement left. */
    private record Written(int part, List<StoredProfile> rows) {
    }

    private static final Part COMMIT = new Part(-1, List.of());
    private static final Part ABORT = new Part(-2, List.of());

    private final BlockingQueue<Part> parts = new LinkedBlockingQueue<>();
    private final List<UserEvent> events = new ArrayList<>();
    private final BatchMerger merger;
    private final BiConsumer<List<UserEvent>, Integer> committed;
    private final Future<Integer> writer;
    /** Where the rows go as written; null when nobody wants them. */
    private final java.util.function.Consumer<Collection<StoredProfile>> sink;
    private final BlockingQueue<Written> written = new LinkedBlockingQueue<>();
    /** The last part each user is written in: only that part's row is what the transaction leaves. */
    private final Map<String, Integer> lastPart = new HashMap<>();
    private int partsGiven;
    private boolean finished;

    /**
     * @param sink where to hand the rows as the statements leave them (each user once, as the poll's last write to
     *        it left it), on the calling thread, while the transaction is open; null: nowhere. The store must
     *        {@linkplain ProfileWriter#returnsRows() return rows} for a sink.
     */
    PipelinedWrite(ExecutorService writers, ProfileWriter store, BatchMerger merger, Clock clock,
            java.util.function.Consumer<Collection<StoredProfile>> sink,
            BiConsumer<List<UserEvent>, Integer> committed) {
        this.merger = merger;
        this.committed = committed;
        this.sink = sink;
        this.writer = writers.submit(() -> store.inTransaction(() -> writeParts(store, clock)));
    }

    /** Merges {@code part} and hands it to the writer; returns at once. */
    void write(List<? extends UserEvent> part) {
        if (finished) {
            throw new IllegalStateException("already committed or aborted");
        }
        events.addAll(part);
        Collection<PendingProfile> rows = merger.merge(part);
        if (!rows.isEmpty()) {
            int index = partsGiven++;
            if (sink != null) {
                rows.forEach(row -> lastPart.put(row.userId(), index));
            }
            parts.add(new Part(index, new ArrayList<>(rows)));
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
        if (sink != null) {
            try {
                drainWritten();
            } catch (RuntimeException sinkFailed) {
                try {
                    await();
                } catch (RuntimeException alsoFailed) {
                    sinkFailed.addSuppressed(alsoFailed);
                }
                throw sinkFailed;
            }
        }
        int rows = await();
        committed.accept(events, rows);
    }

    /** Hands each part's rows to the sink as the writer returns them, until the writer is done. */
    private void drainWritten() {
        while (true) {
            Written next;
            try {
                next = written.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the store transaction was running", e);
            }
            if (next != null) {
                List<StoredProfile> last = new ArrayList<>(next.rows().size());
                for (StoredProfile row : next.rows()) {
                    if (lastPart.get(row.userId()) == next.part()) {
                        last.add(row);
                    }
                }
                if (!last.isEmpty()) {
                    sink.accept(last);
                }
            } else if (writer.isDone() && written.isEmpty()) {
                return;
            }
        }
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
            Part part;
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
            if (sink == null) {
                store.upsert(part.rows(), clock.instant());
            } else {
                List<StoredProfile> left = new ArrayList<>(part.rows().size());
                store.upsert(part.rows(), clock.instant(), left::add);
                written.add(new Written(part.index(), left));
            }
            rows += part.rows().size();
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
