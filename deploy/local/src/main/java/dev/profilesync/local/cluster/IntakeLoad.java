package dev.profilesync.local.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the HTTP intake at a fixed rate: every 100 ms a batch of changes to {@code aboutMe} (a self-service
 * field, so it never races the directory's fields) of users of the simulated tenant, spread over the change-ingest
 * instances. It behaves as a careful client does: a batch that fails (an instance is down, a timeout, a 5xx) is sent
 * again, unchanged and with the same event ids, to the next instance until one accepts it; only a 202 counts as sent.
 * It keeps its own truth: the newest accepted value of each user it wrote.
 */
public final class IntakeLoad implements AutoCloseable {

    /** An accepted change: the value written and its event id. */
    public record Accepted(long sequence, String eventId, String value) {
    }

    private final List<String> intakeUrls;
    private final String apiKey;
    private final List<String> users;
    private final int perSecond;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Accepted> truth = new ConcurrentHashMap<>();
    /** Every accepted event id and when it was accepted. */
    private final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private int next;

    public IntakeLoad(List<String> intakeUrls, String apiKey, List<String> users, int perSecond) {
        this.intakeUrls = List.copyOf(intakeUrls);
        this.apiKey = apiKey;
        this.users = List.copyOf(users);
        this.perSecond = perSecond;
        this.thread = new Thread(this::loop, "intake-load");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long tick = System.nanoTime();
        int perTick = Math.max(1, perSecond / 10);
        while (running) {
            sendBatch(perTick);
            tick += 100_000_000L;
            long wait = tick - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sendBatch(int size) {
        StringBuilder body = new StringBuilder("{\"source\":\"self-service\",\"changes\":[");
        Map<String, Accepted> batch = new java.util.LinkedHashMap<>();
        // microsecond stamps, strictly increasing: the newest accepted change of a user is the one with the highest
        Instant observed = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < size; i++) {
            long seq = sequence.incrementAndGet();
            String user = users.get((int) (seq * 7919 % users.size()));
            Accepted change = new Accepted(seq, "load-" + run + "-" + seq, "load " + seq);
            batch.put(user, change);
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"userId\":\"").append(user).append("\",\"eventId\":\"").append(change.eventId())
                    .append("\",\"observedAt\":\"").append(observed.plus(i, ChronoUnit.MICROS))
                    .append("\",\"fields\":{\"aboutMe\":\"").append(change.value()).append("\"}}");
        }
        body.append("]}");
        String json = body.toString();
        while (running || !batch.isEmpty()) {
            String url = intakeUrls.get(next++ % intakeUrls.size());
            if (post(url, json)) {
                Instant now = Instant.now();
                batch.forEach((user, change) -> {
                    truth.merge(user, change, (a, b) -> a.sequence() >= b.sequence() ? a : b);
                    acceptedAt.put(change.eventId(), now);
                });
                accepted.addAndGet(batch.size());
                return;
            }
            retries.incrementAndGet();
            ClusterDeployment.pause(Duration.ofMillis(100));
        }
    }

    private boolean post(String url, String json) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/changes"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .header("X-Api-Key", apiKey).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400 && response.statusCode() < 500 && response.statusCode() != 429) {
                throw new IllegalStateException("the intake refused the load's batch: " + response.statusCode()
                        + " " + response.body());
            }
            return response.statusCode() == 202;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The rate asked for, changes per second. */
    public int perSecond() {
        return perSecond;
    }

    /** Changes accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Batches sent again after a failure. */
    public long retries() {
        return retries.get();
    }

    /** Every accepted change's event id, with when the intake accepted it. */
    public Map<String, Instant> acceptedAt() {
        return Map.copyOf(acceptedAt);
    }

    /** The newest accepted change of every user written. */
    public Map<String, Accepted> truth() {
        return Map.copyOf(truth);
    }

    /** Stops after the batch in flight is accepted. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofMinutes(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
