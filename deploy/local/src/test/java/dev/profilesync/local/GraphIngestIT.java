package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.profilesync.events.Topics;
import dev.profilesync.simulator.Faults;
import dev.profilesync.simulator.Tenant;
import tools.jackson.databind.JsonNode;

/**
 * Microsoft Graph ingest end to end: the unmodified Graph SDK against the directory simulator over HTTP, a real
 * broker, the applier and PostgreSQL. The store must always end equal to the tenant's truth.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraphIngestIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;

    static PostgresSchema schema;
    static LocalSystem system;
    static ProfileSyncClient client;

    @BeforeAll
    static void start() throws Exception {
        schema = PostgresSchema.create();
        system = LocalSystem.start(FreePorts.settings(dataDir, schema.url()).withSimulator(10_000, 0));
        client = new ProfileSyncClient(system.settings());
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

    @Test
    @Order(1)
    void fullSyncOfTenThousandUsersEndsEqualToTheTenantsTruth() {
        awaitStoreEqualsTruth();
    }

    @Test
    @Order(2)
    void editsHiresAndLeaversArriveWithoutWaitingForTheSchedule() {
        // an hour between scheduled rounds, longer than this test waits: after the start-up round, only a change
        // notification can start one (a fixed short deadline instead failed on a slow CI machine)
        system.stopDirectorySync();
        system.startDirectorySync("--profile-sync.directory.delta-interval=1h");
        await().atMost(PATIENCE).until(() -> successfulRounds() >= 1);
        double roundsBefore = successfulRounds();
        Tenant tenant = system.simulator().tenant();
        String edited = someUser(1);
        String leaver = someUser(2);
        tenant.update(edited, Map.of("jobTitle", "Chief Sync Officer", "mobilePhone", ""));
        tenant.update(someUser(3), java.util.Collections.singletonMap("officeLocation", null));
        String hire = tenant.hire();
        tenant.delete(leaver);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(client.field(edited, "jobTitle")).isEqualTo("Chief Sync Officer");
            assertThat(client.profile(hire)).isNotNull();
            assertThat(client.profile(leaver)).isNull();
        });
        assertThat(client.metric(system.settings().management().directory(), "profile_sync_graph_notifications_total"))
                .anySatisfy((labels, value) -> {
                    assertThat(labels).contains("outcome=\"accepted\"");
                    assertThat(value).isPositive();
                });
        assertThat(successfulRounds()).as("delta rounds started by notifications").isGreaterThan(roundsBefore);
        assertThat(photoEventsFor(hire)).contains("new-user");
        awaitStoreEqualsTruth();
    }

    private static double successfulRounds() {
        return client.metric(system.settings().management().directory(), "profile_sync_graph_delta_rounds_total")
                .entrySet().stream().filter(e -> e.getKey().contains("outcome=\"success\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    @Order(3)
    void aNotificationWithAWrongClientStateIsRefused() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + system.settings().directoryPort() + "/graph/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[{\"clientState\":\"forged\","
                        + "\"resource\":\"Users/x\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(client.metric(system.settings().management().directory(), "profile_sync_graph_notifications_total"))
                .anySatisfy((labels, value) -> {
                    assertThat(labels).contains("outcome=\"refused\"");
                    assertThat(value).isGreaterThanOrEqualTo(1.0);
                });
    }

    @Test
    @Order(3)
    void theWebhookEchoesOnlyPlainTokensAndRefusesOversizedBodies() throws Exception {
        String webhook = "http://127.0.0.1:" + system.settings().directoryPort() + "/graph/notifications";
        HttpClient http = HttpClient.newHttpClient();
        String graphLike = "Validation: Testing client application reachability for subscription Request-Id: "
                + java.util.UUID.randomUUID();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(webhook + "?validationToken="
                + java.net.URLEncoder.encode(graphLike, java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(graphLike);
        assertThat(plain.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));

        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(webhook + "?validationToken="
                + java.net.URLEncoder.encode("<script>alert(1)</script>", java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(400);
        assertThat(script.body()).doesNotContain("<script>");

        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create(webhook))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[" + "{},".repeat(200_000) + "{}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    @Order(4)
    void photoChangesAreDetectedByTheEtagSweep() {
        system.stopDirectorySync();
        system.startDirectorySync("--profile-sync.directory.photo-sweep-interval=3s");
        String user = someUser(5);
        system.simulator().tenant().changePhoto(user, null);
        await().atMost(PATIENCE).until(() -> photoEventsFor(user).contains("etag-changed"));
        system.simulator().tenant().removePhoto(user);
        await().atMost(PATIENCE).until(() -> photoEventsFor(user).contains("removed"));
    }

    @Test
    @Order(5)
    void stoppingTheReaderMidRoundLosesNothing() {
        system.simulator().faults(new Faults(0, 0, 0, 40, 1));
        system.simulator().expireDeltaTokens();
        system.simulator().tenant().update(someUser(6), Map.of("department", "Before the crash"));
        // a full round of 50 slow pages is now in progress; stop in the middle of it
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        system.stopDirectorySync();
        system.simulator().faults(Faults.NONE);
        system.simulator().tenant().update(someUser(7), Map.of("department", "While it was down"));
        system.startDirectorySync();
        awaitStoreEqualsTruth();
    }

    @Test
    @Order(6)
    void anExpiredDeltaTokenForcesAResyncThatDeletesUsersWhoVanished() {
        system.stopDirectorySync();
        Tenant tenant = system.simulator().tenant();
        String gone = someUser(8);
        tenant.delete(gone);
        system.simulator().expireDeltaTokens();
        system.startDirectorySync();
        await().atMost(PATIENCE).until(() -> client.profile(gone) == null);
        awaitStoreEqualsTruth();
    }

    @Test
    @Order(7)
    void throttlingUnavailabilityAndBrokenPagesDelayButDoNotCorrupt() {
        long faultsBefore = system.simulator().faultsServed();
        system.simulator().faults(new Faults(3, 7, 5, 0, 1));
        try {
            Tenant tenant = system.simulator().tenant();
            for (int i = 10; i < 20; i++) {
                tenant.update(someUser(i), Map.of("jobTitle", "Storm " + i));
            }
            system.simulator().expireDeltaTokens();
            await().atMost(PATIENCE).until(() -> "Storm 19".equals(client.field(someUser(19), "jobTitle")));
        } finally {
            system.simulator().faults(Faults.NONE);
        }
        awaitStoreEqualsTruth();
        assertThat(system.simulator().faultsServed() - faultsBefore).as("429, 503 and broken pages served")
                .isPositive();
    }

    @Test
    @Order(8)
    void aResyncThatWouldDeleteTooManyUsersHoldsThemUntilAnOperatorConfirms() throws Exception {
        system.stopDirectorySync();
        Tenant tenant = system.simulator().tenant();
        List<String> gone = new java.util.ArrayList<>();
        for (int offset = 5_000; gone.size() < 1_100; offset += 100) {
            adminUsers(offset, 100).forEach(user -> gone.add(user.get("id").asString()));
        }
        gone.forEach(tenant::delete);
        system.simulator().expireDeltaTokens();
        system.startDirectorySync();
        int port = system.settings().management().directory();

        await().atMost(PATIENCE).until(() -> heldDeletions(port) >= 1_100);
        JsonNode held = actuator(port, "GET");
        assertThat(held.get("users").intValue()).isEqualTo(gone.size());
        assertThat(client.profile(gone.get(0))).as("held back, still in the store").isNotNull();
        assertThat(client.profile(gone.get(gone.size() - 1))).isNotNull();

        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/helddeletions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("confirming needs an operator's token").isEqualTo(401);

        actuator(port, "POST");
        await().atMost(PATIENCE).until(() -> client.profile(gone.get(0)) == null
                && client.profile(gone.get(gone.size() - 1)) == null);
        await().atMost(PATIENCE).until(() -> heldDeletions(port) == 0);
        awaitStoreEqualsTruth();
    }

    @Test
    @Order(9)
    void aPhotoSweepStoppedHalfwayResumesWhereItWasAfterARestart() {
        system.stopDirectorySync();
        int users = system.simulator().tenant().presentUsers();
        system.simulator().faults(new Faults(0, 0, 0, 15, 1));
        try {
            system.startDirectorySync("--profile-sync.directory.photo-sweep-interval=2s");
            int port = system.settings().management().directory();
            await().atMost(PATIENCE).until(() -> counter(port, "profile_sync_graph_photo_sweep_checked_total") >= 2_000);
            system.stopDirectorySync();
            system.startDirectorySync("--profile-sync.directory.photo-sweep-interval=10m");
            await().atMost(PATIENCE).until(() -> counter(port, "profile_sync_graph_photo_sweeps_total") >= 1);
            assertThat(counter(port, "profile_sync_graph_photo_sweep_checked_total"))
                    .as("users the restarted instance checked to finish the sweep").isLessThan(users - 1_000);
        } finally {
            system.simulator().faults(Faults.NONE);
        }
    }

    private static double counter(int port, String name) {
        return client.metric(port, name).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double heldDeletions(int port) {
        return client.metric(port, "profile_sync_graph_deletions_held").values().stream()
                .mapToDouble(Double::doubleValue).sum();
    }

    private static JsonNode actuator(int port, String method) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/helddeletions")).header("Content-Type", "application/json")
                .header("Authorization", client.bearer(LocalTokens.OPERATOR_TOKEN))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                response.body().isEmpty() ? "{}" : response.body());
    }

    private static String someUser(int n) {
        JsonNode users = adminUsers(n * 37, 1);
        return users.get(0).get("id").asString();
    }

    private static JsonNode adminUsers(int offset, int limit) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    system.simulator().baseUrl() + "/admin/users?offset=" + offset + "&limit=" + limit)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).get("users");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitStoreEqualsTruth() {
        StoreTruth.awaitStoreEqualsTruth(system.simulator().tenant(), client, PATIENCE);
    }

    private static List<String> photoEventsFor(String user) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "graph-it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> reasons = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PHOTO_CHANGES));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    if (user.equals(record.key())) {
                        reasons.add(tools.jackson.databind.json.JsonMapper.builder().build().readTree(record.value())
                                .path("reason").asString());
                    }
                }
            }
        }
        return reasons;
    }
}
