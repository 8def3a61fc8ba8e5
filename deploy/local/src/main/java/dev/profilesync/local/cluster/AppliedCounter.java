package dev.profilesync.local.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes applied by all profile-applier instances over the whole run, from each instance's
 * {@code profile_sync_applier_changes_applied_total}, read every second and right before an instance is killed. A
 * restarted instance counts from zero again; each incarnation's last reading is kept, so the sum counts every change
 * applied, duplicates included (up to what an instance applied between its last reading and a kill, a few
 * milliseconds of work, since the reading is taken just before).
 */
public final class AppliedCounter implements AutoCloseable {

    private static final String METRIC = "profile_sync_applier_changes_applied_total";

    private final List<ClusterDeployment.Instance> appliers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** (instance name, incarnation) to its last reading. */
    private final Map<String, Double> readings = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public AppliedCounter(List<ClusterDeployment.Instance> appliers) {
        this.appliers = List.copyOf(appliers);
        this.thread = new Thread(() -> {
            while (running) {
                appliers.forEach(this::read);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "applied-counter");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads every live instance now; an instance too busy to answer in time is asked again, for up to 10 s, so that
     * a window's figures are not taken from a stale reading.
     */
    public synchronized void readAll() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (ClusterDeployment.Instance instance : appliers) {
            while (!read(instance) && instance.process().alive() && System.nanoTime() < deadline) {
                ClusterDeployment.pause(java.time.Duration.ofMillis(200));
            }
        }
    }

    /**
     * Reads one instance now (call right before killing it).
     *
     * @return whether it answered (a stopped instance counts as read: its last reading stands)
     */
    public synchronized boolean read(ClusterDeployment.Instance instance) {
        if (!instance.process().alive()) {
            return true;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(instance.managementUrl()
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            double sum = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith(METRIC + "{") || line.startsWith(METRIC + " ")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            readings.merge(instance.process().name() + "#" + instance.process().starts(), sum, Math::max);
            return true;
        } catch (IOException | NumberFormatException e) {
            return false; // not up yet, going down, or too busy: asked again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Changes applied by every incarnation of every instance so far. */
    public synchronized long total() {
        return Math.round(readings.values().stream().mapToDouble(Double::doubleValue).sum());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
