package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end path every store must pass: HTTP intake → KRaft broker → applier → store → read API, plus records
 * emitted straight to Kafka by other services. Subclasses choose the store. This is the best place to start reading.
 */
abstract class EndToEndContract {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    abstract LocalSystem system();

    ProfileSyncClient client() {
        return new ProfileSyncClient(system().settings());
    }

    @Test
    void postedChangeIsReadableFromTheProfileApi() {
        String id = UUID.randomUUID().toString();
        var response = client().post("""
                {"source":"hr-system","changes":[{"userId":"%s",
                  "fields":{"displayName":"Ada Lovelace","jobTitle":"Analyst","businessPhones":["+44 20 7946 0000"],
                            "accountEnabled":true}}]}""".formatted(id));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        await().atMost(PATIENCE).untilAsserted(() -> {
            var profile = client().profile(id);
            assertThat(profile).isNotNull();
            assertThat(profile.get("displayName").asString()).isEqualTo("Ada Lovelace");
            assertThat(profile.get("businessPhones").get(0).asString()).isEqualTo("+44 20 7946 0000");
            assertThat(profile.get("accountEnabled").booleanValue()).isTrue();
            assertThat(profile.at("/sync/lastSource").asString()).isEqualTo("hr-system");
        });
    }

    @Test
    void unknownProfileIsNotFound() {
        assertThat(client().profile(UUID.randomUUID().toString())).isNull();
        assertThat(client().profile("not-a-user-id")).isNull();
    }

    @Test
    void olderChangeArrivingLaterDoesNotOverwriteANewerField() {
        String id = UUID.randomUUID().toString();
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"Director\",\"department\":\"Sales\"");
        post(id, "2026-11-25T09:00:00Z", "\"jobTitle\":\"Intern\",\"city\":\"Oslo\"");

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(client().field(id, "city")).isEqualTo("Oslo"));
        assertThat(client().field(id, "jobTitle")).isEqualTo("Director");
        assertThat(client().field(id, "department")).isEqualTo("Sales");
    }

    @Test
    void deletionIsATombstoneThatOnlyANewerChangeCanUndo() {
        String id = UUID.randomUUID().toString();
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"Director\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);

        assertThat(client().post("""
                {"source":"directory","changes":[{"userId":"%s","deleted":true,"observedAt":"2026-11-25T11:00:00Z"}]}"""
                .formatted(id)).statusCode()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> client().profile(id) == null);

        post(id, "2026-11-25T10:30:00Z", "\"city\":\"Oslo\"");
        post(id, "2026-11-25T12:00:00Z", "\"jobTitle\":\"Rehired\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);
        assertThat(client().field(id, "jobTitle")).isEqualTo("Rehired");
        assertThat(client().field(id, "city")).isNull();
    }

    @Test
    void cloudEventFromAPlainKafkaProducerIsApplied() {
        String id = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>("directory.user-changes", id,
                    "{\"fields\":{\"aboutMe\":\"Writes the first programs\",\"pronouns\":\"she/her\"}}");
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", "self-service-" + UUID.randomUUID());
            header(record, "ce_source", "self-service");
            header(record, "ce_type", "dev.profilesync.user.changed.v1");
            header(record, "ce_subject", id);
            header(record, "ce_time", Instant.now().toString());
            header(record, "content-type", "application/json");
            producer.send(record);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(client().field(id, "pronouns")).isEqualTo("she/her"));
        assertThat(client().field(id, "aboutMe")).isEqualTo("Writes the first programs");
    }

    @Test
    void poisonRecordIsDeadLetteredWithItsCauseAndThePartitionKeepsFlowing() {
        String id = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> poison = new ProducerRecord<>("directory.user-changes", id, "{\"fields\":");
            header(poison, "ce_specversion", "1.0");
            header(poison, "ce_id", "poison-" + id);
            header(poison, "ce_source", "graph");
            header(poison, "ce_type", "dev.profilesync.user.changed.v1");
            header(poison, "ce_subject", id);
            producer.send(poison);
        }
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"After the poison\"");
        await().atMost(PATIENCE).untilAsserted(
                () -> assertThat(client().field(id, "jobTitle")).isEqualTo("After the poison"));

        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("directory.user-changes.dlt"));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())) {
                        assertThat(text(record, "profile-sync-reason")).isEqualTo("malformed-json");
                        assertThat(text(record, "kafka_dlt-original-topic")).isEqualTo("directory.user-changes");
                        assertThat(text(record, "kafka_dlt-exception-message")).contains("not JSON");
                        assertThat(record.value()).isEqualTo("{\"fields\":");
                        return true;
                    }
                }
                return false;
            });
        }
    }

    @Test
    void profilesAreFoundByTextAndDepartmentInStablePages() {
        String department = "Dept-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder changes = new StringBuilder();
        for (String name : List.of("Grace Hopper", "Alan Turing", "Barbara Liskov")) {
            changes.append(changes.isEmpty() ? "" : ",").append("""
                    {"userId":"%s","fields":{"displayName":"%s","department":"%s","mail":"%s@example.org"}}"""
                    .formatted(UUID.randomUUID(), name, department, name.split(" ")[0].toLowerCase()));
        }
        assertThat(client().post("{\"source\":\"directory\",\"changes\":[" + changes + "]}").statusCode())
                .isEqualTo(202);

        await().atMost(PATIENCE).until(() -> client().applierGet("/api/v1/profiles?department=" + department)
                .get("items").size() == 3);
        var firstPage = client().applierGet("/api/v1/profiles?department=" + department + "&size=2&page=0");
        assertThat(firstPage.get("items").get(0).get("displayName").asString()).isEqualTo("Alan Turing");
        assertThat(firstPage.get("items").get(1).get("displayName").asString()).isEqualTo("Barbara Liskov");
        assertThat(firstPage.get("hasMore").booleanValue()).isTrue();
        var secondPage = client().applierGet("/api/v1/profiles?department=" + department + "&size=2&page=1");
        assertThat(secondPage.get("items").get(0).get("displayName").asString()).isEqualTo("Grace Hopper");
        assertThat(secondPage.get("hasMore").booleanValue()).isFalse();
        var byMail = client().applierGet("/api/v1/profiles?department=" + department + "&query=GRACE@");
        assertThat(byMail.get("items")).hasSize(1);
        var byName = client().applierGet("/api/v1/profiles?department=" + department + "&query=rbara%20lis");
        assertThat(byName.get("items")).hasSize(1);

        // keyset paging: each page names the next one's cursor
        String next = firstPage.get("next").asString();
        var afterCursor = client().applierGet("/api/v1/profiles?department=" + department + "&size=2&cursor=" + next);
        assertThat(afterCursor.get("items")).hasSize(1);
        assertThat(afterCursor.get("items").get(0).get("displayName").asString()).isEqualTo("Grace Hopper");
        assertThat(afterCursor.get("hasMore").booleanValue()).isFalse();
        assertThat(afterCursor.has("next")).isFalse();
        assertThatThrownBy(() -> client().applierGet("/api/v1/profiles?cursor=not-a-cursor"))
                .hasMessageContaining("400").hasMessageContaining("invalid-cursor");
    }

    @Test
    void syncStatusSaysWhenTheNewestChangeWasObservedAndApplied() {
        String id = UUID.randomUUID().toString();
        post(id, "2026-01-05T10:00:00Z", "\"jobTitle\":\"Director\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);

        // offsets are committed just after the store commits, so "pending" may show for a moment
        await().atMost(PATIENCE).until(() -> client().applierGet("/api/v1/profiles/" + id + "/sync-status")
                .get("state").asString().equals("in-sync"));
        var status = client().applierGet("/api/v1/profiles/" + id + "/sync-status");
        assertThat(status.get("lastObservedAt").asString()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(status.get("delaySeconds").doubleValue()).isPositive();
        assertThat(status.at("/queue/queuedChanges").intValue()).isZero();
        assertThat(client().applierGet("/api/v1/profiles/" + UUID.randomUUID() + "/sync-status")).isNull();
    }

    @Test
    void readingProfilesNeedsABearerTokenWithTheReadRole() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + system().settings().applierPort();
        String management = "http://127.0.0.1:" + system().settings().management().applier();
        java.util.function.BiFunction<String, String, Integer> status = (path, authorization) -> {
            String base = path.startsWith("/actuator/") ? management : api;
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        String someone = "/api/v1/profiles/" + UUID.randomUUID();
        assertThat(status.apply("/api/v1/profiles?size=200", null)).isEqualTo(401);
        assertThat(status.apply(someone, null)).isEqualTo(401);
        assertThat(status.apply(someone + "/sync-status", null)).isEqualTo(401);
        assertThat(status.apply("/v3/api-docs", null)).isEqualTo(401);
        assertThat(status.apply(someone, "Bearer not.a.token")).isEqualTo(401);
        assertThat(status.apply(someone, "Bearer not a token")).as("not a b64token").isEqualTo(401);
        assertThat(status.apply(someone, "bearer " + client().bearer(LocalTokens.READ_TOKEN).substring(7)))
                .as("the scheme's name in any case: authenticated, and no such profile").isEqualTo(404);
        assertThat(status.apply("/api/v1/profiles?size=200", client().bearer(LocalTokens.READ_TOKEN)))
                .isEqualTo(200);
        assertThat(status.apply("/actuator/deadletters", client().bearer(LocalTokens.READ_TOKEN))).isEqualTo(403);
        assertThat(status.apply("/actuator/deadletters", client().bearer(LocalTokens.OPERATOR_TOKEN)))
                .isEqualTo(200);
        assertThat(status.apply("/actuator/health", null)).isEqualTo(200);
        assertThat(status.apply("/actuator/prometheus", null)).isEqualTo(200);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/actuator/health"))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("operations are not served on the API port").isIn(401, 403, 404);
    }

    @Test
    void operationsAreServedOnlyOnTheManagementPorts() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        LocalSettings settings = system().settings();
        java.util.function.BiFunction<Integer, String, Integer> status = (port, path) -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + path)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Map<String, int[]> services = Map.of("change-ingest", new int[] {settings.ingestPort(),
            settings.management().ingest()}, "profile-applier", new int[] {settings.applierPort(),
                settings.management().applier()}, "sync-monitor", new int[] {settings.monitorPort(),
                    settings.management().monitor()});
        services.forEach((name, ports) -> {
            assertThat(status.apply(ports[1], "/actuator/health/readiness")).as(name).isEqualTo(200);
            assertThat(status.apply(ports[1], "/actuator/prometheus")).as(name).isEqualTo(200);
            assertThat(status.apply(ports[1], "/actuator/metrics")).as(name + ": only health, info, metrics scrape")
                    .isIn(401, 403);
            assertThat(status.apply(ports[0], "/actuator/health")).as(name + ": not on the API port")
                    .isIn(401, 403, 404);
            assertThat(status.apply(ports[0], "/")).as(name).isIn(401, 403, 404);
        });
        assertThat(status.apply(settings.monitorPort(), "/api/v1/anything")).as("sync-monitor serves no API")
                .isIn(401, 403, 404);
    }

    @Test
    void servesItsOpenApiDescription() {
        var api = client().applierGet("/v3/api-docs");
        assertThat(api.at("/paths").has("/api/v1/profiles/{id}/sync-status")).isTrue();
    }

    void post(String id, String observedAt, String fields) {
        var response = client().post("""
                {"source":"directory","changes":[{"userId":"%s","observedAt":"%s","fields":{%s}}]}"""
                .formatted(id, observedAt, fields));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system().settings().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system().settings().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ConsumerRecord<String, String> record, String header) {
        var value = record.headers().lastHeader(header);
        return value == null ? null : new String(value.value(), StandardCharsets.UTF_8);
    }
}
