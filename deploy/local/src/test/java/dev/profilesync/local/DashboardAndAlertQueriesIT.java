package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every PromQL expression of the Grafana dashboard and of the alert rules, evaluated by a real Prometheus scraping the
 * running system: each must be valid, and each must find the series it is about.
 */
class DashboardAndAlertQueriesIT {

    static final Path DASHBOARD = Path.of("../grafana/dashboards/profile-sync.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:profile_sync|photo_sync)_[a-z_]+)\\b");

    @TempDir
    static Path dir;

    static LocalSystem system;
    static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        PrometheusServer.binary("prometheus");
        LocalSettings settings = FreePorts.settings(dir.resolve("data"), null).withSimulator(100, 2);
        system = LocalSystem.start(settings);
        prometheus = PrometheusServer.start(dir, FreePorts.settings(dir, null).kafkaPort(),
                List.of(settings.management().ingest(), settings.management().applier(),
                        settings.management().photo(), settings.management().directory(),
                        settings.management().monitor()));
        await().atMost(Duration.ofSeconds(30)).until(prometheus::ready);
        makeTraffic(settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyDashboardQueryIsValidAndReturnsSeries() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)).get("panels")) {
            panel.get("targets").forEach(target -> expressions.add(target.get("expr").asString()));
        }
        assertThat(expressions).hasSizeGreaterThan(5);
        for (String expression : expressions) {
            prometheus.query(expression);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(withoutSeries(expressions))
                .as("dashboard queries that find no series").isEmpty());
    }

    @Test
    void everyRuleIsValidAndTheSeriesItWatchesExist() throws Exception {
        List<String> expressions = new ArrayList<>();
        try (Stream<Path> files = Files.list(PrometheusServer.RULES)) {
            for (Path file : files.toList()) {
                Map<String, Object> rules = new Yaml().load(Files.readString(file));
                for (Object group : (List<?>) rules.get("groups")) {
                    for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                        expressions.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
                    }
                }
            }
        }
        assertThat(expressions).hasSizeGreaterThan(3);
        Set<String> metrics = new LinkedHashSet<>();
        for (String expression : expressions) {
            prometheus.query(expression);
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                metrics.add(matcher.group(1));
            }
        }
        List<String> probes = metrics.stream().map(name -> "count({__name__=\"" + name + "\"})").toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(withoutSeries(probes))
                .as("metrics used by rules that Prometheus does not see").isEmpty());
    }

    private static List<String> withoutSeries(List<String> expressions) throws Exception {
        List<String> empty = new ArrayList<>();
        for (String expression : expressions) {
            if (prometheus.query(expression).get("result").isEmpty()) {
                empty.add(expression);
            }
        }
        return empty;
    }

    /** Accepted changes, a write refused by ownership, and a dead letter, spread over a few scrapes. */
    private static void makeTraffic(LocalSettings settings) throws Exception {
        ProfileSyncClient client = new ProfileSyncClient(settings);
        String id = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            client.post("""
                    {"source":"hr-system","changes":[{"userId":"%s","fields":{"jobTitle":"t%d","skills":["x"]}}]}"""
                    .formatted(id, i));
            await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> poison = new ProducerRecord<>("directory.user-changes", id, "not json");
            poison.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            producer.send(poison).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> client.metric(settings.management().applier(),
                "profile_sync_dead_letters_total").size() > 0);
        // a photo that cannot make thumbnails
        String user = system.simulator().tenant().user(1).get("id").toString();
        system.simulator().tenant().changePhoto(user, "not an image".getBytes(StandardCharsets.UTF_8));
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + settings.ingestPort() + "/api/v1/users/" + user + "/photo:sync"))
                .header("X-Api-Key", settings.apiKey()).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.metric(settings.management().photo(),
                "photo_sync_rejected_total").size() > 0);
        // Graph unavailable for a while: a failed round, counted by status
        system.simulator().faults(new dev.profilesync.simulator.Faults(0, 1, 0, 0, 1));
        try {
            system.simulator().tenant().hire();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.metric(settings.management().directory(),
                    "profile_sync_graph_errors_total").keySet().stream().anyMatch(k -> k.contains("503")));
        } finally {
            system.simulator().faults(dev.profilesync.simulator.Faults.NONE);
        }
    }
}
