package dev.profilesync.applier.write;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long the trigram index's pending list may grow in the applier's transactions (PostgreSQL's
 * {@code gin_pending_list_limit}, set per transaction). GIN takes new entries into the pending list and merges it into
 * the index when it passes the limit; every search scans the list. Updates keep it short, so a search under a stream
 * of updates scans little; loads of new profiles (a full sync, a new tenant) let it grow to PostgreSQL's default, so
 * the merges come in fewer, larger batches. Which of the two the applier is doing is read from its own statements: the
 * share of rows they inserted rather than updated over the last few thousand rows (weighed by rows, so a stream of
 * one-row statements does not outvote a load), with a margin between the two switch points so a mixed stream does
 * not flip at every statement. The limit is set when a transaction begins.
 */
final class TrigramPendingList {

    private static final Logger log = LoggerFactory.getLogger(TrigramPendingList.class);

    /** While mostly updating: a short list for searches to scan. */
    static final String UPDATES = "256kB";
    /** While mostly inserting: PostgreSQL's default, merged in larger batches. */
    static final String LOADS = "4MB";
    /** Rows after which a statement's rows count half as much in the share: a one-row statement barely moves it. */
    private static final double HALF_LIFE_ROWS = 2_000;
    private static final double TO_LOADS = 0.6;
    private static final double TO_UPDATES = 0.4;

    /** Recent rows inserted and written, each decayed by the rows written since; a start as if after updates. */
    private double inserted;
    private double written = HALF_LIFE_ROWS;
    private boolean loading;

    /** The limit for the next transaction. */
    synchronized String limit() {
        return loading ? LOADS : UPDATES;
    }

    /** What a statement did: {@code inserted} new rows of {@code rows} written. */
    synchronized void wrote(int inserted, int rows) {
        if (rows <= 0) {
            return;
        }
        double decay = Math.pow(0.5, rows / HALF_LIFE_ROWS);
        this.inserted = this.inserted * decay + inserted;
        this.written = this.written * decay + rows;
        double share = this.inserted / this.written;
        if (!loading && share >= TO_LOADS) {
            loading = true;
            log.info("The applier is writing mostly new profiles: the trigram index's pending list may grow to {} "
                    + "until updates dominate again", LOADS);
        } else if (loading && share <= TO_UPDATES) {
            loading = false;
            log.info("The applier is writing mostly updates: the trigram index's pending list is held to {}", UPDATES);
        }
    }
}
