package dev.profilesync.applier.write;

import dev.profilesync.events.InvalidEventException;

/**
 * The store refused a record that passed the contract's checks (a value out of a column's range, a constraint an
 * operator added): bisection found it alone failing. It is dead-lettered with reason {@value #REASON}; the cause (with
 * its SQLState) travels in the dead letter's headers.
 */
final class StoreRefusedException extends InvalidEventException {

    static final String REASON = "store-refused";
    private static final long serialVersionUID = 1L;

    StoreRefusedException(RuntimeException cause) {
        super(REASON, "the store refused this record alone: " + describe(cause));
        initCause(cause);
    }

    private static String describe(RuntimeException cause) {
        String state = StoreFailures.sqlState(cause);
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return (state == null ? "" : "SQLState " + state + ", ") + root.getClass().getName() + ": "
                + root.getMessage();
    }
}
