package dev.profilesync.applier.write;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finds the records a failed poll cannot be written with, by bisection: each half is written in a transaction of its
 * own; a half that commits is done, a half that fails is split again, down to single records. One bad record among
 * n costs about 2·log2(n) statements (1,000 records: 20), not n; every good record is written. A failure that is not
 * the records' fault (the database went away meanwhile) aborts the search: the caller retries the whole poll, and
 * the halves already written are harmless to write again.
 *
 * @param <T> what is written
 */
final class PoisonIsolation<T> {

    /** A record the store refused, with its failure. */
    record Refused<T>(T item, RuntimeException failure) {
    }

    private final Consumer<List<T>> write;
    private final Predicate<RuntimeException> abort;
    private int statements;

    /**
     * @param write writes a part in its own transaction; throws when the store refuses it
     * @param abort whether a failure ends the search (it is not the records' fault)
     */
    PoisonIsolation(Consumer<List<T>> write, Predicate<RuntimeException> abort) {
        this.write = write;
        this.abort = abort;
    }

    /** Isolates the refused records of {@code items}, which failed as a whole; writes the rest. */
    List<Refused<T>> isolate(List<T> items) {
        List<Refused<T>> refused = new ArrayList<>();
        if (items.size() == 1) {
            attempt(items, refused);
        } else {
            int middle = items.size() / 2;
            attempt(items.subList(0, middle), refused);
            attempt(items.subList(middle, items.size()), refused);
        }
        return refused;
    }

    /** Statements (transactions) spent so far. */
    int statements() {
        return statements;
    }

    private void attempt(List<T> part, List<Refused<T>> refused) {
        if (part.isEmpty()) {
            return;
        }
        statements++;
        try {
            write.accept(part);
        } catch (RuntimeException failure) {
            if (abort.test(failure)) {
                throw failure;
            }
            if (part.size() == 1) {
                refused.add(new Refused<>(part.get(0), failure));
                return;
            }
            int middle = part.size() / 2;
            attempt(part.subList(0, middle), refused);
            attempt(part.subList(middle, part.size()), refused);
        }
    }
}
