package dev.profilesync.monitor.lag;

/**
 * The lag of one consumer group on one partition, as last read: the timestamp of the record at the committed offset
 * (or none when the group is caught up) and the number of records between the committed offset and the end.
 */
final class PartitionLag {

    static final long CAUGHT_UP = -1;

    private volatile long oldestPendingTimestamp = CAUGHT_UP;
    private volatile long pendingRecords;

    void update(long oldestPendingTimestamp, long pendingRecords) {
        this.oldestPendingTimestamp = oldestPendingTimestamp;
        this.pendingRecords = pendingRecords;
    }

    /**
     * Seconds since the oldest pending record was written, at the moment of asking; 0 when caught up. It grows with
     * wall time while the group is stopped, because the committed offset, and so the record it points to, stays.
     */
    double seconds(long nowMillis) {
        long oldest = oldestPendingTimestamp;
        return oldest == CAUGHT_UP ? 0 : Math.max(0, nowMillis - oldest) / 1000.0;
    }

    long records() {
        return pendingRecords;
    }
}
