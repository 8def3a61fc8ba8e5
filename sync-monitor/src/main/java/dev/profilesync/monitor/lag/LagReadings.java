package dev.profilesync.monitor.lag;

import java.util.List;

/** The monitor's latest readings and their recent history, for the status page. */
public interface LagReadings {

    /** One partition of one watched group, as last read. */
    record Partition(String group, String topic, int partition, double seconds, long records) {
    }

    /**
     * One reading of one group: the delay (lag in seconds) over its partitions, median, 99th percentile and
     * maximum, and its backlog in records.
     */
    record Point(long epochMillis, String group, double p50, double p99, double max, long records) {
    }

    List<Partition> current();

    /** Readings of the last 15 minutes, oldest first. */
    List<Point> history();
}
