package dev.profilesync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent, read from Linux {@code /proc}: of one process, of every PostgreSQL process (postmaster, backends,
 * writers, and backends that have exited, through the postmaster's children's time), and of this JVM. Differences of two readings are CPU-seconds in between.
 */
final class CpuClock {

    private static final double TICKS = 100.0;

    private CpuClock() {
    }

    static double process(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))) / TICKS;
        } catch (IOException e) {
            return 0;
        }
    }

    static double postgres() {
        double total = 0;
        for (String stat : postgresStats().values()) {
            // own time, and that of exited children (backends of closed connections) the postmaster has reaped
            total += (ticks(stat) + childTicks(stat)) / TICKS;
        }
        return total;
    }

    /** Every PostgreSQL process (postmaster, backends, writers) running now: pid and its {@code /proc/<pid>/stat}. */
    static Map<Long, String> postgresStats() {
        Map<Long, String> stats = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    if (stat.contains("(postgres)")) {
                        stats.put(Long.parseLong(dir.getFileName().toString()), stat);
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return stats;
    }

    static double self() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** cutime + cstime (fields 16 and 17): CPU of children the process has waited for. */
    private static long childTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    /** utime + stime (fields 14 and 15), counted after the parenthesised command name. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
