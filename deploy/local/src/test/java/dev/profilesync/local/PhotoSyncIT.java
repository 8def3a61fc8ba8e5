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
import dev.profilesync.events.Topics;
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

    @TempDir
    static Path dataDir;

    static LocalSystem system;
    static ProfileSyncClient client;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(FreePorts.settings(dataDir, null).withSimulator(200, 0));
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
    void aLeaverLosesTheirPhotoAndItIsNoLongerServed() throws Exception {
        String leaver = userWithPhoto(41);
        requestSync(leaver);
        await().atMost(PATIENCE).until(() -> photo(leaver, "small", null).statusCode() == 200);
        system.simulator().tenant().delete(leaver);
        await().atMost(PATIENCE).until(() -> photo(leaver, "small", null).statusCode() == 404);
    }

    /** The reasons of the dead letters of {@code directory.photo-changes} keyed by {@code user}. */
    private static List<String> deadLetterReasons(String user) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "photo-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetterOf(Topics.PHOTO_CHANGES)));
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
        return client.metric(system.settings().photoPort(), "photo_sync_rejected_total").entrySet().stream()
                .filter(e -> e.getKey().contains("reason=\"" + reason + "\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    private static double outcome(String outcome) {
        return client.metric(system.settings().photoPort(), "photo_sync_photos_total").entrySet().stream()
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

    private static HttpResponse<byte[]> photo(String user, String size, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + system.settings().photoPort() + "/api/v1/photos/" + user + "/" + size));
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
