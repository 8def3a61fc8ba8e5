package dev.profilesync.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.ServiceAcls;
import dev.profilesync.events.Topics;
import dev.profilesync.simulator.Faults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * Photo sync end to end: a photo changed in the simulated tenant, a sync requested over HTTP, thumbnails rendered
 * from the photo fetched through the Graph SDK, served with ETags, and the profile pointing at them. Bad photos are
 * skipped with a reason and do not hold up the next one.
 */
class PhotoSyncIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The bulk lane pauses while the applier has more changes than this to apply. */
    private static final int PAUSE_ABOVE = 100;

    @TempDir
    static Path dataDir;

    static LocalSystem system;
    static ProfileSyncClient client;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(FreePorts.settings(dataDir, null).withSimulator(200, 0), true,
                LocalKafka::start, service -> service == ServiceAcls.Service.PHOTO_SYNC
                        ? List.of("--profile-sync.photo.bulk-pause.backlog=" + PAUSE_ABOVE) : List.of());
        client = new ProfileSyncClient(system.settings());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aChangedPhotoIsServedInThreeSizesAndTheProfileShowsIt() throws Exception {
        String user = userWithPhoto(11);
        await().atMost(PATIENCE).until(() -> client.profile(user) != null);
        system.simulator().tenant().changePhoto(user, null);
        requestSync(user);

        await().atMost(PATIENCE).until(() -> photo(user, "large", null).statusCode() == 200);
        for (Map.Entry<String, Integer> size : Map.of("small", 48, "medium", 72, "large", 300).entrySet()) {
            HttpResponse<byte[]> response = photo(user, size.getKey(), null);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image.getWidth()).isEqualTo(size.getValue());
            assertThat(image.getHeight()).isEqualTo(size.getValue());
            String etag = response.headers().firstValue("ETag").orElseThrow();
            assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(
                    value -> assertThat(value).contains("max-age"));
            assertThat(photo(user, size.getKey(), etag).statusCode()).isEqualTo(304);
        }
        await().atMost(PATIENCE).until(() -> client.field(user, "photoEtag") != null);
        assertThat(client.field(user, "photoUrl")).endsWith("/api/v1/photos/" + user);
        String firstEtag = client.field(user, "photoEtag");

        double unchangedBefore = outcome("unchanged");
        requestSync(user);
        await().atMost(PATIENCE).until(() -> outcome("unchanged") > unchangedBefore);

        system.simulator().tenant().changePhoto(user, null);
        requestSync(user);
        await().atMost(PATIENCE).until(() -> !firstEtag.equals(client.field(user, "photoEtag")));
    }

    @Test
    void photosAreServedThroughSignedLinksOrToReaders() throws Exception {
        String user = userWithPhoto(21);
        await().atMost(PATIENCE).until(() -> client.profile(user) != null);
        system.simulator().tenant().changePhoto(user, null);
        requestSync(user);
        await().atMost(PATIENCE).until(() -> client.profile(user).has("photo"));
        JsonNode links = client.profile(user).get("photo");
        assertThat(links.has("small") && links.has("medium") && links.has("large")).as(links.toString()).isTrue();
        assertThat(links.get("expiresAt").asString()).isNotBlank();

        String small = links.get("small").asString();
        HttpResponse<byte[]> signed = get(small, null);
        assertThat(signed.statusCode()).as("a signed link needs no token, as in an <img> tag").isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(signed.body())).getWidth()).isEqualTo(48);

        String unsigned = small.substring(0, small.indexOf('?'));
        assertThat(refusal(get(unsigned, null))).isEqualTo("photo-link-missing");
        assertThat(refusal(get(small.replace("/small?", "/large?"), null))).as("a link opens one size")
                .isEqualTo("photo-link-invalid");
        assertThat(refusal(get(small.substring(0, small.length() - 2) + "xx", null))).isEqualTo("photo-link-invalid");
        String otherUser = userWithPhoto(31);
        assertThat(refusal(get(small.replace(user, otherUser), null))).as("a link opens one user's photo")
                .isEqualTo("photo-link-invalid");

        // an expired link, signed with the installation's own secret
        String secret = java.nio.file.Files.readString(dataDir.resolve("photo-link-secret")).trim();
        dev.profilesync.support.security.PhotoLinks links1h = new dev.profilesync.support.security.PhotoLinks(
                secret, Duration.ofHours(1), java.time.Clock.systemUTC());
        String expired = links1h.sign(unsigned.substring(0, unsigned.lastIndexOf('/')), user, "small",
                java.time.Instant.now().minusSeconds(5));
        assertThat(refusal(get(expired, null))).isEqualTo("photo-link-expired");
        String stillValid = links1h.sign(unsigned.substring(0, unsigned.lastIndexOf('/')), user, "small",
                java.time.Instant.now().plusSeconds(60));
        assertThat(get(stillValid, null).statusCode()).isEqualTo(200);

        assertThat(get(unsigned, client.bearer(LocalTokens.READ_TOKEN)).statusCode()).isEqualTo(200);
        assertThat(get(unsigned, "Bearer not.a.token").statusCode()).isEqualTo(401);
        String photoApi = "http://127.0.0.1:" + system.settings().photoPort();
        assertThat(get(photoApi + "/v3/api-docs", client.bearer(LocalTokens.READ_TOKEN)).statusCode())
                .isIn(403, 404);
        assertThat(get(photoApi + "/actuator/health", null).statusCode()).as("operations are on the management port")
                .isIn(401, 403, 404);
        assertThat(get("http://127.0.0.1:" + system.settings().management().photo() + "/actuator/health", null)
                .statusCode()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The reason of a 403 problem. */
    private static String refusal(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(403);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).get("reason")
                .asString();
    }

    @Test
    void aRemovedPhotoRemovesTheThumbnailsAndClearsTheProfile() throws Exception {
        String user = userWithPhoto(12);
        requestSync(user);
        await().atMost(PATIENCE).until(() -> photo(user, "small", null).statusCode() == 200);
        system.simulator().tenant().removePhoto(user);
        requestSync(user);
        await().atMost(PATIENCE).until(() -> photo(user, "small", null).statusCode() == 404);
        await().atMost(PATIENCE).until(() -> client.profile(user) != null && client.field(user, "photoEtag") == null);
    }

    @Test
    void badPhotosAreSkippedWithAReasonAndTheNextPhotoIsProcessed() throws Exception {
        BufferedImage wide = new BufferedImage(3000, 20, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(wide, "png", png);
        Map<String, byte[]> bad = Map.of("empty", new byte[0], "not-an-image", "plain text".getBytes(),
                "aspect-ratio", png.toByteArray());
        int n = 20;
        for (Map.Entry<String, byte[]> photo : bad.entrySet()) {
            String user = userWithPhoto(n++);
            requestSync(user);
            await().atMost(PATIENCE).until(() -> photo(user, "small", null).statusCode() == 200);
            String lastGood = photo(user, "small", null).headers().firstValue("ETag").orElseThrow();
            double before = rejected(photo.getKey());
            system.simulator().tenant().changePhoto(user, photo.getValue());
            requestSync(user);
            await().atMost(PATIENCE).until(() -> rejected(photo.getKey()) > before);
            // the last good photo stays
            assertThat(photo(user, "small", null).headers().firstValue("ETag")).hasValue(lastGood);
        }
        String good = userWithPhoto(n);
        requestSync(good);
        await().atMost(PATIENCE).until(() -> photo(good, "small", null).statusCode() == 200);
    }

    @Test
    void aPhotoGraphRefusesIsDeadLetteredWithItsReasonAndItsPartitionKeepsFlowing() throws Exception {
        String refused = userWithPhoto(31);
        await().atMost(PATIENCE).until(() -> client.profile(refused) != null
                && client.field(refused, "photoEtag") != null);
        String before = client.field(refused, "photoEtag");
        system.simulator().tenant().forbidPhoto(refused, true);
        system.simulator().tenant().changePhoto(refused, null);
        requestSync(refused);
        await().atMost(PATIENCE).until(() -> deadLetterReasons(refused).contains("graph-refused"));
        assertThat(deadLetterReasons(refused)).containsExactly("graph-refused");
        assertThat(client.field(refused, "photoEtag")).isEqualTo(before);

        // not retried forever: once Graph lets us, the next request for the same user (same partition) goes through
        system.simulator().tenant().forbidPhoto(refused, false);
        requestSync(refused);
        await().atMost(PATIENCE).until(() -> !before.equals(client.field(refused, "photoEtag")));
    }

    @Test
    void aRequestedSyncIsServedAheadOfTheBulkBacklog() throws Exception {
        String user = userWithPhoto(51);
        await().atMost(PATIENCE).until(() -> client.profile(user) != null);
        double bulkBefore = outcome("synced") + outcome("no-photo");
        // Graph answers slowly (100 ms a request), and 300 new hires queue 300 photos on the bulk lane: with 4
        // requests in flight that is some 15 s of bulk work
        system.simulator().faults(new Faults(0, 0, 0, 100, 1));
        try {
            for (int i = 0; i < 300; i++) {
                system.simulator().tenant().hire();
            }
            await().atMost(PATIENCE).until(() -> outcome("synced") + outcome("no-photo") > bulkBefore + 10);
            String before = photo(user, "small", null).headers().firstValue("ETag").orElse("none");
            system.simulator().tenant().changePhoto(user, null);
            requestSync(user);
            await().atMost(PATIENCE).until(() -> !before.equals(photo(user, "small", null).headers()
                    .firstValue("ETag").orElse("none")));
            assertThat(outcome("synced") + outcome("no-photo") - bulkBefore)
                    .as("bulk photos done when the requested one was served (of some 300 queued before it)")
                    .isLessThan(200);
        } finally {
            system.simulator().faults(Faults.NONE);
        }
    }

    @Test
    void theBulkLaneWaitsWhileTheApplierIsBehindAndRequestsDoNot() throws Exception {
        String requested = userWithPhoto(61);
        await().atMost(PATIENCE).until(() -> client.profile(requested) != null);
        double[] bulkAtPause = {0};
        system.stopApplier();
        try {
            // new hires are profile changes the stopped applier does not apply, and a photo each on the bulk lane
            for (int i = 0; i < PAUSE_ABOVE + 50; i++) {
                system.simulator().tenant().hire();
            }
            await().atMost(PATIENCE).until(() -> bulkPaused() == 1);
            assertThat(client.metric(system.settings().management().photo(), "photo_sync_profile_backlog_records")
                    .values()).allSatisfy(backlog -> assertThat(backlog).isGreaterThan(PAUSE_ABOVE));
            bulkAtPause[0] = outcome("synced") + outcome("no-photo");
            for (int i = 0; i < 50; i++) {
                system.simulator().tenant().hire();
            }
            // a photo already started when the lane paused may finish (one per bulk consumer), no more
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                    outcome("synced") + outcome("no-photo") <= bulkAtPause[0] + 8 && bulkPaused() == 1);

            // a requested sync is served while the bulk lane waits
            String before = photo(requested, "small", null).headers().firstValue("ETag").orElse("none");
            system.simulator().tenant().changePhoto(requested, null);
            requestSync(requested);
            await().atMost(PATIENCE).until(() -> !before.equals(photo(requested, "small", null).headers()
                    .firstValue("ETag").orElse("none")));
            assertThat(bulkPaused()).isEqualTo(1);
        } finally {
            system.startApplier();
        }
        // the applier catches up, the lane resumes and the waiting photos are done: none was skipped
        await().atMost(PATIENCE).until(() -> bulkPaused() == 0);
        double pauses = client.metric(system.settings().management().photo(), "photo_sync_bulk_pauses_total")
                .values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(pauses).isGreaterThanOrEqualTo(1);
        // every photo of the hires while paused is done once the lane runs again (and those queued before them)
        await().atMost(PATIENCE).until(() -> outcome("synced") + outcome("no-photo") >= bulkAtPause[0] + 50);
    }

    @Test
    void theBulkLaneAlsoWaitsWhileChangesPourInThatTheApplierKeepsUpWith() throws Exception {
        int inflowAbove = 40;
        system.stopPhotoSync();
        // for the inflow alone: the applier's backlog between its commits must not pause the lane here
        system.startPhotoSync("--profile-sync.photo.bulk-pause.inflow=" + inflowAbove,
                "--profile-sync.photo.bulk-pause.backlog=1000000");
        try {
            double before = pauses("inflow");
            Properties props = new Properties();
            props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    system.settings().bootstrapServers());
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props,
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                // about 200 changes a second, which the applier keeps up with
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (int i = 0; i < 20; i++) {
                        producer.send(selfServiceChange(UUID.randomUUID().toString()));
                    }
                    producer.flush();
                    return pauses("inflow") > before;
                });
                assertThat(bulkPaused()).isEqualTo(1);
                assertThat(pauses("backlog")).as("not for a backlog").isZero();
            }
            // the changes stop: the lane resumes
            await().atMost(PATIENCE).until(() -> bulkPaused() == 0);
        } finally {
            system.stopPhotoSync();
            system.startPhotoSync();
        }
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> selfServiceChange(String user) {
        var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(Topics.USER_CHANGES, user,
                "{\"fields\":{\"pronouns\":\"they/them\"}}");
        for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", "inflow-" + user},
            {"ce_source", "self-service"}, {"ce_type", "dev.profilesync.user.changed.v1"}, {"ce_subject", user},
            {"ce_time", java.time.Instant.now().toString()}}) {
            record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static double pauses(String reason) {
        return client.metric(system.settings().management().photo(), "photo_sync_bulk_pauses_total").entrySet()
                .stream().filter(e -> e.getKey().contains("reason=\"" + reason + "\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static double bulkPaused() {
        return client.metric(system.settings().management().photo(), "photo_sync_bulk_paused").values().stream()
                .mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void aLeaverLosesTheirPhotoAndItIsNoLongerServed() throws Exception {
        String leaver = userWithPhoto(41);
        requestSync(leaver);
        await().atMost(PATIENCE).until(() -> photo(leaver, "small", null).statusCode() == 200);
        system.simulator().tenant().delete(leaver);
        await().atMost(PATIENCE).until(() -> photo(leaver, "small", null).statusCode() == 404);
    }

    /**
     * The reasons of the dead letters keyed by {@code user}, of both photo lanes ({@code directory.photo-changes} and
     * the priority lane {@code directory.photo-requests}, where requested syncs go).
     */
    private static List<String> deadLetterReasons(String user) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "photo-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetterOf(Topics.PHOTO_CHANGES),
                    Topics.deadLetterOf(Topics.PHOTO_REQUESTS)));
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header reason = record.headers().lastHeader(DeadLetters.REASON_HEADER);
                    if (user.equals(record.key()) && reason != null) {
                        reasons.add(new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return reasons;
    }

    private static double rejected(String reason) {
        return client.metric(system.settings().management().photo(), "photo_sync_rejected_total").entrySet().stream()
                .filter(e -> e.getKey().contains("reason=\"" + reason + "\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    private static double outcome(String outcome) {
        return client.metric(system.settings().management().photo(), "photo_sync_photos_total").entrySet().stream()
                .filter(e -> e.getKey().contains("outcome=\"" + outcome + "\"")).mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private static void requestSync(String user) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + system.settings().ingestPort() + "/api/v1/users/" + user + "/photo:sync"))
                .header("X-Api-Key", system.settings().apiKey()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    /** A thumbnail as an API client fetches it: with a bearer token carrying Profiles.Read. */
    private static HttpResponse<byte[]> photo(String user, String size, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + system.settings().photoPort() + "/api/v1/photos/" + user + "/" + size))
                .header("Authorization", client.bearer(LocalTokens.READ_TOKEN));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A seeded user that has a photo (every tenth has none). */
    private static String userWithPhoto(int n) throws Exception {
        int index = n % 10 == 0 ? n + 1 : n;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.simulator().baseUrl()
                + "/admin/users?offset=" + index + "&limit=1")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode users = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body())
                .get("users");
        return users.get(0).get("id").asString();
    }
}
