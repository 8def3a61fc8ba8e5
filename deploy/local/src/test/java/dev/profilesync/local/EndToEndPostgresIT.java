package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.profilesync.events.ConsumerGroups;

/**
 * The end-to-end path on PostgreSQL, an applier restart in the middle of a stream of changes, and a read replica
 * beside the applier.
 */
class EndToEndPostgresIT extends EndToEndContract {

    @TempDir
    static Path dataDir;

    static PostgresSchema schema;
    static LocalSystem system;

    @BeforeAll
    static void start() throws Exception {
        schema = PostgresSchema.create();
        system = LocalSystem.start(FreePorts.settings(dataDir, schema.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    LocalSystem system() {
        return system;
    }

    @Test
    void deadLettersAreReplayedToTheTopicTheirDeadLetterTopicBelongsToOnceOnRequest() throws Exception {
        String id = UUID.randomUUID().toString();
        try (var producer = producer()) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(
                    "directory.user-changes.dlt", id, "{\"fields\":{\"jobTitle\":\"Replayed\"}}");
            for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", "dlt-" + id},
                {"ce_source", "graph"}, {"ce_type", "dev.profilesync.user.changed.v1"}, {"ce_subject", id},
                // whoever can write the dead-letter topic controls this header: replay must not follow it
                {"kafka_dlt-original-topic", "directory.ingest-state"}, {"profile-sync-reason", "unknown-type"}}) {
                record.headers().add(header[0], header[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
        var http = java.net.http.HttpClient.newHttpClient();
        var actuator = java.net.URI.create("http://127.0.0.1:" + system.settings().management().applier()
                + "/actuator/deadletters");
        await().atMost(PATIENCE).until(() -> client().operate(system.settings().management().applier(), "/actuator/deadletters").get("waiting")
                .longValue() >= 1);

        var asReader = http.send(java.net.http.HttpRequest.newBuilder(actuator)
                .header("Authorization", client().bearer(LocalTokens.READ_TOKEN))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(asReader.statusCode()).as("replay needs the operator role").isEqualTo(403);
        var replay = http.send(java.net.http.HttpRequest.newBuilder(actuator)
                .header("Authorization", client().bearer(LocalTokens.OPERATOR_TOKEN))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);

        assertThat(replay.body()).contains("\"replayed\"");
        await().atMost(PATIENCE).until(() -> "Replayed".equals(client().field(id, "jobTitle")));
    }

    @Test
    void lagInSecondsGrowsWhileTheApplierIsStoppedAndIsZeroWhenCaughtUp() {
        int monitorPort = system.settings().management().monitor();
        String id = UUID.randomUUID().toString();
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"Before\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);
        await().atMost(PATIENCE).until(() -> maxApplierLag(monitorPort) == 0.0);

        system.stopApplier();
        try {
            post(id, "2026-11-25T11:00:00Z", "\"jobTitle\":\"While stopped\"");
            await().atMost(PATIENCE).until(() -> maxApplierLag(monitorPort) > 0.0);
            double first = maxApplierLag(monitorPort);
            await().atMost(PATIENCE).until(() -> maxApplierLag(monitorPort) >= first + 2.0);
            assertThat(client().metric(monitorPort, "profile_sync_lag_seconds").entrySet())
                    .as("idle partitions read 0")
                    .anySatisfy(e -> {
                        assertThat(e.getKey()).contains("group=\"profile-applier\"");
                        assertThat(e.getValue()).isZero();
                    });
            assertThat(client().metric(monitorPort, "profile_sync_lag_records").values().stream()
                    .mapToDouble(Double::doubleValue).sum()).isGreaterThanOrEqualTo(1.0);

            // a backlog on every partition in batches of many records: the monitor reads only the first batch at
            // each committed offset, and still finds every partition's age
            try (var producer = producer()) {
                for (int i = 0; i < 400; i++) {
                    String user = UUID.randomUUID().toString();
                    var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(
                            "directory.user-changes", user, "{\"fields\":{\"pronouns\":\"they/them\","
                                    + "\"aboutMe\":\"Queued " + i + " " + "x".repeat(200) + "\"}}");
                    header(record, "ce_specversion", "1.0");
                    header(record, "ce_id", "lag-" + user);
                    header(record, "ce_source", "self-service");
                    header(record, "ce_type", "dev.profilesync.user.changed.v1");
                    header(record, "ce_subject", user);
                    header(record, "ce_time", Instant.now().toString());
                    producer.send(record);
                }
            }
            int partitions = system.settings().partitions();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    client().metric(monitorPort, "profile_sync_lag_seconds").entrySet().stream()
                            .filter(e -> e.getKey().contains("group=\"profile-applier\"") && e.getValue() > 0))
                    .as("every partition behind has an age").hasSize(partitions));
        } finally {
            system.startApplier();
        }
        await().atMost(PATIENCE).until(() -> maxApplierLag(monitorPort) == 0.0);
        assertThat(client().field(id, "jobTitle")).isEqualTo("While stopped");
    }

    private double maxApplierLag(int monitorPort) {
        return client().metric(monitorPort, "profile_sync_lag_seconds").entrySet().stream()
                .filter(e -> e.getKey().contains("group=\"profile-applier\"")).mapToDouble(Map.Entry::getValue)
                .max().orElse(-1);
    }

    @Test
    void syncStatusShowsChangesQueuedWhileTheApplierIsBehind() {
        String id = UUID.randomUUID().toString();
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"Before\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);

        system.pauseApplierConsumers();
        try {
            post(id, "2026-11-25T11:00:00Z", "\"jobTitle\":\"While paused\"");
            post(id, "2026-11-25T11:00:01Z", "\"city\":\"Oslo\"");
            await().atMost(PATIENCE).untilAsserted(() -> {
                var status = client().applierGet("/api/v1/profiles/" + id + "/sync-status");
                assertThat(status.get("state").asString()).isEqualTo("pending");
                assertThat(status.at("/queue/queuedChanges").intValue()).isEqualTo(2);
                assertThat(status.at("/queue/partitionBacklog").longValue()).isGreaterThanOrEqualTo(2);
            });
            assertThat(client().field(id, "jobTitle")).isEqualTo("Before");
        } finally {
            system.resumeApplierConsumers();
        }
        await().atMost(PATIENCE).until(() -> "While paused".equals(client().field(id, "jobTitle")));
        await().atMost(PATIENCE).until(() -> client().applierGet("/api/v1/profiles/" + id + "/sync-status")
                .get("state").asString().equals("in-sync"));
    }

    @Test
    void aReadReplicaServesTheStoreAndAppliesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        post(id, "2026-11-25T10:00:00Z", "\"jobTitle\":\"Before\"");
        await().atMost(PATIENCE).until(() -> client().profile(id) != null);
        int port = FreePorts.port();
        int management = FreePorts.port();
        int membersBefore = applierGroupMembers();
        try (ConfigurableApplicationContext replica = system.startReadReplica(port, management)) {
            assertThat(client().operate(port, "/api/v1/profiles/" + id).get("jobTitle").asString())
                    .isEqualTo("Before");
            assertThat(client().operate(port, "/api/v1/profiles?query=" + id.substring(0, 8)))
                    .as("search is served too").isNotNull();
            assertThat(replica.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers())
                    .noneMatch(container -> container.isRunning());
            assertThat(applierGroupMembers()).as("the replica never joins the applier's group")
                    .isEqualTo(membersBefore);
            assertThat(client().operate(management, "/actuator/health/liveness").get("status").asString())
                    .isEqualTo("UP");

            // the only applier pauses: the change waits in the topic, and the replica reports it as queued
            system.pauseApplierConsumers();
            try {
                post(id, "2026-11-25T11:00:00Z", "\"jobTitle\":\"After\"");
                await().atMost(PATIENCE).untilAsserted(() -> {
                    var status = client().operate(port, "/api/v1/profiles/" + id + "/sync-status");
                    assertThat(status.get("state").asString()).isEqualTo("pending");
                    assertThat(status.at("/queue/queuedChanges").intValue()).isEqualTo(1);
                });
                assertThat(client().operate(port, "/api/v1/profiles/" + id).get("jobTitle").asString())
                        .isEqualTo("Before");
            } finally {
                system.resumeApplierConsumers();
            }
            await().atMost(PATIENCE).until(() -> "After".equals(
                    client().operate(port, "/api/v1/profiles/" + id).get("jobTitle").asString()));
            await().atMost(PATIENCE).until(() -> client().operate(port, "/api/v1/profiles/" + id + "/sync-status")
                    .get("state").asString().equals("in-sync"));

            // a SCIM write taken by the replica goes through the topic to the applier, and reads back from the store
            String scimToken = java.nio.file.Files.readString(dataDir.resolve(LocalSystem.SCIM_TOKEN_FILE)).trim();
            String userName = "replica-" + id.substring(0, 8) + "@contoso.com";
            var created = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/scim/v2/Users"))
                    .header("Authorization", "Bearer " + scimToken).header("Content-Type", "application/scim+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("""
                            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",\
                            "displayName":"Written Through A Replica"}""".formatted(userName))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String createdId = tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                    .get("id").asString();
            await().atMost(PATIENCE).until(() -> {
                var stored = client().operate(system.settings().applierPort(), "/api/v1/profiles/" + createdId);
                return stored != null && "Written Through A Replica".equals(stored.get("displayName").asString());
            });
        }
    }

    private int applierGroupMembers() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                system.settings().bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(ConsumerGroups.PROFILE_APPLIER)).all().get()
                    .get(ConsumerGroups.PROFILE_APPLIER).members().size();
        }
    }

    @Test
    void restartingTheApplierMidStreamLosesNothingAndAppliesNothingTwiceInEffect() {
        List<String> users = IntStream.range(0, 40).mapToObj(i -> UUID.randomUUID().toString()).toList();
        Map<String, String> expected = new HashMap<>();
        Instant base = Instant.parse("2026-11-25T08:00:00Z");
        int batches = 60;
        for (int batch = 0; batch < batches; batch++) {
            if (batch == 20) {
                system.stopApplier();
            }
            if (batch == 40) {
                system.startApplier();
            }
            StringJoiner changes = new StringJoiner(",");
            for (int i = 0; i < 10; i++) {
                int seq = batch * 10 + i;
                String user = users.get(seq % users.size());
                String title = "title-" + seq;
                changes.add("{\"userId\":\"%s\",\"observedAt\":\"%s\",\"fields\":{\"jobTitle\":\"%s\"}}"
                        .formatted(user, base.plusMillis(seq), title));
                expected.put(user, title);
            }
            var response = client().post("{\"source\":\"directory\",\"changes\":[" + changes + "]}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String user : users) {
                assertThat(client().field(user, "jobTitle")).as(user).isEqualTo(expected.get(user));
            }
        });
    }
}
