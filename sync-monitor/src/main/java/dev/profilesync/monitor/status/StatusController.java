package dev.profilesync.monitor.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.monitor.SyncMonitorProperties;
import dev.profilesync.monitor.lag.LagReadings;

/**
 * The live status page for operators without Grafana: {@code GET /status} (one self-contained HTML page that loads
 * nothing from the internet and refreshes itself from {@code GET /status/api}), and {@code POST /status/replay},
 * which asks the applier to replay its dead letters with the operator's own bearer token (the applier checks it).
 * The page shows operational figures only, no profile data.
 */
@RestController
class StatusController implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusController.class);

    private final LagReadings lag;
    private final SyncMonitorProperties.Status settings;
    private final KafkaProperties kafka;
    private final DirectoryReaderStatus directory = new DirectoryReaderStatus();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final byte[] page;
    private volatile List<DeadLetterCensus.Waiting> deadLetters = List.of();
    private volatile List<DirectoryReaderStatus.Instance> readers = List.of();
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private DeadLetterCensus census;

    StatusController(LagReadings lag, SyncMonitorProperties properties, KafkaProperties kafka) throws IOException {
        this.lag = lag;
        this.settings = properties.status();
        this.kafka = kafka;
        try (InputStream in = StatusController.class.getResourceAsStream("/status/status.html")) {
            this.page = in.readAllBytes();
        }
    }

    @GetMapping(value = "/status", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<byte[]> page() {
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                        + "style-src 'unsafe-inline'; img-src 'self' data:")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8)).body(page);
    }

    @GetMapping(value = "/status/api", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> api() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", System.currentTimeMillis());
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (ConsumerGroups.Watched watched : ConsumerGroups.WATCHED) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("group", watched.group());
            group.put("topic", watched.topic());
            group.put("oldestSeconds", 0.0);
            group.put("records", 0L);
            group.put("partitions", new ArrayList<Map<String, Object>>());
            groups.put(watched.group(), group);
        }
        for (LagReadings.Partition partition : lag.current()) {
            Map<String, Object> group = groups.get(partition.group());
            if (group == null) {
                continue;
            }
            group.put("oldestSeconds", Math.max((double) group.get("oldestSeconds"), partition.seconds()));
            group.put("records", (long) group.get("records") + partition.records());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> partitions = (List<Map<String, Object>>) group.get("partitions");
            partitions.add(Map.of("partition", partition.partition(), "seconds", partition.seconds(), "records",
                    partition.records()));
        }
        body.put("groups", groups.values());
        body.put("history", lag.history());
        body.put("deadLetters", deadLetters);
        body.put("directory", readers);
        Map<String, Object> photos = groups.get(ConsumerGroups.PHOTO_SYNC);
        body.put("photoBacklog", photos == null ? 0 : photos.get("records"));
        return body;
    }

    @PostMapping(value = "/status/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> replay(@RequestHeader(name = "Authorization", required = false) String authorization)
            throws IOException, InterruptedException {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return ResponseEntity.status(401).contentType(MediaType.APPLICATION_JSON)
                    .body("{\"detail\":\"replaying needs an operator's bearer token (Profiles.Operate)\"}");
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                settings.applierManagementUrl().toString().replaceAll("/$", "") + "/actuator/deadletters"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        refresh();
        return ResponseEntity.status(response.statusCode()).contentType(MediaType.APPLICATION_JSON)
                .body(response.body().isEmpty() ? "{}" : response.body());
    }

    private synchronized void refresh() {
        try {
            deadLetters = census.count();
        } catch (Exception e) {
            log.warn("Could not count the dead letters: {}", e.toString());
        }
        List<DirectoryReaderStatus.Instance> found = new ArrayList<>();
        for (URI url : settings.directorySyncUrls()) {
            found.add(directory.read(url));
        }
        readers = found;
    }

    @Override
    public void start() {
        admin = Admin.create(kafka.buildAdminProperties());
        census = new DeadLetterCensus(kafka.buildConsumerProperties(), admin);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "status-page"));
        scheduler.scheduleWithFixedDelay(this::refresh, 0, settings.refresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            census.close();
            admin.close();
        }
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
