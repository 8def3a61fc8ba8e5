package dev.profilesync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The read bench's {@code -Dbench.cores=split} layout: the writers on one core and the readers on the other, as a read
 * replica deployed on cores of its own would be (this machine has two). Core 0 gets this JVM (the applier and the
 * broker) and every PostgreSQL process, so new backends, forked by the postmaster, start there; core 1 gets the read
 * replica, the load generator and the PostgreSQL backends of the replica's connections (found by their
 * {@code application_name} once a second and moved). Pinning other users' processes takes root; {@link #close} gives
 * PostgreSQL both cores back.
 */
final class CoreSplit implements AutoCloseable {

    /** The {@code application_name} the read replica's connections carry. */
    static final String READER_APPLICATION = "profile-reads";

    private final String url;
    private final Set<Integer> moved = new HashSet<>();
    private final Thread mover;
    private volatile boolean running = true;

    private CoreSplit(String url) {
        this.url = url;
        this.mover = new Thread(this::moveReaders, "core-split");
        this.mover.setDaemon(true);
    }

    /** Pins the writers' side to core 0 and starts moving the readers' backends to core 1. */
    static CoreSplit start(String url) throws IOException, InterruptedException {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("-Dbench.cores=split needs two cores");
        }
        CoreSplit split = new CoreSplit(url);
        Runtime.getRuntime().addShutdownHook(new Thread(split::restore));
        taskset("0", ProcessHandle.current().pid());
        for (long pid : CpuClock.postgresStats().keySet()) {
            taskset("0", pid);
        }
        split.mover.start();
        return split;
    }

    /** {@code command} run on the readers' core. */
    static List<String> onReadersCore(List<String> command) {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", "1"));
        pinned.addAll(command);
        return pinned;
    }

    /** The JDBC URL the read replica connects with: its connections named, so that their backends can be moved. */
    static String readerUrl(String url) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + READER_APPLICATION;
    }

    private void moveReaders() {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement readers = connection.prepareStatement(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            readers.setString(1, READER_APPLICATION);
            while (running) {
                try (ResultSet rs = readers.executeQuery()) {
                    while (rs.next()) {
                        int pid = rs.getInt(1);
                        if (moved.add(pid)) {
                            taskset("1", pid);
                        }
                    }
                }
                TimeUnit.SECONDS.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("core split: cannot move the readers' backends: " + e);
        }
    }

    /** Every PostgreSQL process back on every core. */
    private synchronized void restore() {
        if (!running) {
            return;
        }
        running = false;
        try {
            for (long pid : CpuClock.postgresStats().keySet()) {
                // not availableProcessors(): this JVM, pinned to core 0, sees one
                taskset(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim(), pid);
            }
            System.out.println("core split: PostgreSQL runs on every core again");
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("core split: could not give PostgreSQL its cores back: " + e);
        }
    }

    @Override
    public void close() {
        restore();
        mover.interrupt();
    }

    /** Every thread of {@code pid} on {@code cpus}; fails loudly when that is not allowed. */
    private static void taskset(String cpus, long pid) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid))
                .redirectErrorStream(true).start();
        String output = new String(taskset.getInputStream().readAllBytes());
        if (taskset.waitFor() != 0 && ProcessHandle.of(pid).isPresent()) {
            throw new IllegalStateException("taskset " + cpus + " " + pid + " failed (root needed): " + output);
        }
    }
}
