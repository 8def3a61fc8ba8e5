package dev.profilesync.local.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One JVM process of the deployment (a broker or a service instance), restartable with the same command. Its output
 * goes to {@code <name>.log} in the run's directory, appended across restarts.
 */
public final class JvmProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    JvmProcess(String name, List<String> command, Path directory) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = directory.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public synchronized JvmProcess start() {
        if (alive()) {
            throw new IllegalStateException(name + " is running");
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            starts++;
            return this;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start " + name, e);
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** How often it was started. */
    public synchronized int starts() {
        return starts;
    }

    /** {@code kill -9}: no shutdown hook, no clean-up, as a crashed node or an OOM-killed pod. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM and wait for a graceful stop (as Kubernetes does before it kills), then SIGKILL. */
    public synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!await(grace)) {
                process.destroyForcibly();
                await(Duration.ofSeconds(30));
            }
        }
    }

    private boolean await(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        kill();
    }
}
