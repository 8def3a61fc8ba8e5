package dev.profilesync.applier.write;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells why a poll's store transaction failed, because that decides what happens next. A <em>transient</em> failure
 * (the database is down or restarting, a connection was cut, a deadlock, a serialization failure, a lock or
 * statement timeout) is retried, forever, and nothing is dead-lettered. A <em>record</em> failure (the store refused a
 * value: SQLState class 22 data exception or 23 integrity violation, or the applier could not bind it) is some
 * record's fault: the poll is bisected to find it. A failure of the poll's publication (the snapshot stream's Kafka
 * producer) is transient too: no record is at fault, and bisecting would only write the poll again without
 * publishing it. Anything else is <em>unclassified</em>: retried a bounded number of times, then treated as a
 * record failure.
 */
final class StoreFailures {

    enum Kind {
        TRANSIENT,
        RECORD,
        UNCLASSIFIED
    }

    private StoreFailures() {
    }

    static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PublicationFailedException) {
                return Kind.TRANSIENT;
            }
        }
        String state = sqlState(failure);
        if (state != null && state.length() >= 2) {
            switch (state.substring(0, 2)) {
                // connection, transaction rollback (deadlock, serialization), resources, operator intervention, system
                case "08", "40", "53", "57", "58" -> {
                    return Kind.TRANSIENT;
                }
                // data exception (value out of range, invalid text), integrity constraint, check option
                case "22", "23", "44" -> {
                    return Kind.RECORD;
                }
                default -> {
                    if ("55P03".equals(state) || state.startsWith("HYT")) {
                        return Kind.TRANSIENT;
                    }
                }
            }
        }
        boolean fromTheDatabase = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof InterruptedException
                    || t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException || t instanceof TransactionSystemException) {
                return Kind.TRANSIENT;
            }
            fromTheDatabase |= t instanceof SQLException || t instanceof org.springframework.dao.DataAccessException;
        }
        // not from the database at all: the applier could not turn some record into a statement
        return fromTheDatabase ? Kind.UNCLASSIFIED : Kind.RECORD;
    }

    /** The first SQLState in the cause chain, or null. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
