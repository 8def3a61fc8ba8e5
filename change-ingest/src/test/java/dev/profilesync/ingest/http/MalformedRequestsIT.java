package dev.profilesync.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.Topics;
import dev.profilesync.ingest.ChangeIngestApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * More than fifty malformed requests against the running intake (bodies, headers, types, sizes, encodings, methods,
 * credentials): each is answered with a 4xx problem detail carrying a machine-readable {@code reason}, and nothing at
 * all is published.
 */
@SpringBootTest(classes = ChangeIngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=change-ingest",
            "profile-sync.ingest.intake.api-keys[0].name=hr-system",
            "profile-sync.ingest.intake.api-keys[0].key=" + MalformedRequestsIT.KEY,
            "profile-sync.ingest.intake.api-keys[0].sources=hr-system",
            "profile-sync.ingest.intake.max-batch-size=5",
            "profile-sync.ingest.intake.max-body-size=4KB",
            "profile-sync.ingest.topics.partitions=2"})
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class MalformedRequestsIT {

    static final String KEY = "malformed-requests-it-key-0123";
    private static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final String JSON = "application/json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();

    /** One malformed request and the status it must get. */
    private record Bad(String name, String method, String path, String contentType, String key, byte[] body,
            int status) {
    }

    private static Bad body(String name, String json, int status) {
        return new Bad(name, "POST", "/api/v1/changes", JSON, KEY, json.getBytes(StandardCharsets.UTF_8), status);
    }

    private static Bad change(String name, String changeJson) {
        return body(name, "{\"source\":\"hr-system\",\"changes\":[" + changeJson + "]}", 400);
    }

    private static Bad fields(String name, String fieldsJson) {
        return change(name, "{\"userId\":\"" + ADA + "\",\"fields\":" + fieldsJson + "}");
    }

    private static List<Bad> requests() {
        String good = "{\"userId\":\"" + ADA + "\",\"fields\":{\"city\":\"Oslo\"}}";
        String batch = "{\"source\":\"hr-system\",\"changes\":[" + good + "]}";
        byte[] batchBytes = batch.getBytes(StandardCharsets.UTF_8);
        List<Bad> bad = new ArrayList<>();
        bad.add(body("empty body", "", 400));
        bad.add(body("whitespace only", "   ", 400));
        bad.add(body("null", "null", 400));
        bad.add(body("a number", "42", 400));
        bad.add(body("an array", "[" + batch + "]", 400));
        bad.add(body("an empty object", "{}", 400));
        bad.add(body("no changes", "{\"source\":\"hr-system\",\"changes\":[]}", 400));
        bad.add(body("changes an object", "{\"source\":\"hr-system\",\"changes\":{}}", 400));
        bad.add(body("changes a string", "{\"source\":\"hr-system\",\"changes\":\"all\"}", 400));
        bad.add(body("a change that is a number", "{\"source\":\"hr-system\",\"changes\":[1]}", 400));
        bad.add(body("unknown batch property", "{\"source\":\"hr-system\",\"changes\":[" + good + "],\"x\":1}", 400));
        bad.add(body("duplicate property", "{\"source\":\"hr-system\",\"source\":\"x\",\"changes\":[" + good + "]}",
                400));
        bad.add(body("trailing garbage", batch + "}", 400));
        bad.add(body("truncated", batch.substring(0, batch.length() - 3), 400));
        bad.add(body("a comment", "/* hi */" + batch, 400));
        bad.add(body("single quotes", batch.replace('"', '\''), 400));
        bad.add(body("deep nesting", "{\"source\":\"hr-system\",\"changes\":" + "[".repeat(1500) + "]".repeat(1500)
                + "}", 400));
        bad.add(body("no source anywhere", "{\"changes\":[" + good + "]}", 400));
        bad.add(body("source not a name", "{\"source\":\"hr system!\",\"changes\":[" + good + "]}", 400));
        bad.add(body("source a number", "{\"source\":7,\"changes\":[" + good + "]}", 400));
        bad.add(change("empty change", "{}"));
        bad.add(change("no user id", "{\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("user id not a GUID", "{\"userId\":\"ada\",\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("user id a number", "{\"userId\":42,\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("user id with NUL", "{\"userId\":\"" + ADA + "\\u0000\",\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("no fields", "{\"userId\":\"" + ADA + "\"}"));
        bad.add(change("unknown change property", "{\"userId\":\"" + ADA + "\",\"fields\":{\"city\":\"O\"},\"y\":1}"));
        bad.add(change("event id with spaces", "{\"userId\":\"" + ADA + "\",\"eventId\":\"a b\",\"fields\":"
                + "{\"city\":\"Oslo\"}}"));
        bad.add(change("event id too long", "{\"userId\":\"" + ADA + "\",\"eventId\":\"" + "e".repeat(200)
                + "\",\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("observedAt not a time", "{\"userId\":\"" + ADA + "\",\"observedAt\":\"yesterday\","
                + "\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("observedAt without offset", "{\"userId\":\"" + ADA + "\",\"observedAt\":"
                + "\"2026-11-25T10:00:00\",\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("observedAt in 2300", "{\"userId\":\"" + ADA + "\",\"observedAt\":\"2300-01-01T00:00:00Z\","
                + "\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("observedAt in 1969", "{\"userId\":\"" + ADA + "\",\"observedAt\":\"1969-12-31T23:59:59Z\","
                + "\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("observedAt a number", "{\"userId\":\"" + ADA + "\",\"observedAt\":1700000000,"
                + "\"fields\":{\"city\":\"Oslo\"}}"));
        bad.add(change("deleted a string", "{\"userId\":\"" + ADA + "\",\"deleted\":\"yes\"}"));
        bad.add(fields("fields an array", "[\"city\"]"));
        bad.add(fields("fields empty", "{}"));
        bad.add(fields("unknown field", "{\"shoeSize\":\"44\"}"));
        bad.add(fields("number for text", "{\"city\":42}"));
        bad.add(fields("huge number for text", "{\"city\":1" + "0".repeat(400) + "}"));
        bad.add(fields("object for text", "{\"city\":{\"name\":\"Oslo\"}}"));
        bad.add(fields("string for boolean", "{\"accountEnabled\":\"true\"}"));
        bad.add(fields("string for list", "{\"skills\":\"java\"}"));
        bad.add(fields("numbers in a list", "{\"skills\":[1,2]}"));
        bad.add(fields("too many list entries", "{\"skills\":[" + "\"s\",".repeat(100) + "\"s\"]}"));
        bad.add(fields("text too long", "{\"city\":\"" + "o".repeat(300) + "\"}"));
        bad.add(fields("NUL in text", "{\"city\":\"Os\\u0000lo\"}"));
        bad.add(fields("bell in text", "{\"city\":\"Os\\u0007lo\"}"));
        bad.add(fields("escape sequence in text", "{\"city\":\"\\u001b[31mOslo\"}"));
        bad.add(fields("lone surrogate in text", "{\"city\":\"Os\\ud800lo\"}"));
        bad.add(fields("C1 control in text", "{\"city\":\"Os\\u0085lo\"}"));
        bad.add(body("batch too large", "{\"source\":\"hr-system\",\"changes\":[" + String.join(",", good, good,
                good, good, good, good) + "]}", 413));
        bad.add(body("body too large", "{\"source\":\"hr-system\",\"changes\":[{\"userId\":\"" + ADA
                + "\",\"fields\":{\"aboutMe\":\"" + "x".repeat(5000) + "\"}}]}", 413));
        bad.add(new Bad("invalid UTF-8", "POST", "/api/v1/changes", JSON, KEY, new byte[] {'{', '"', (byte) 0xc3,
            (byte) 0x28, '"', ':', '1', '}'}, 400));
        bad.add(new Bad("UTF-16 body", "POST", "/api/v1/changes", JSON, KEY,
                batch.getBytes(StandardCharsets.UTF_16), 400));
        bad.add(new Bad("text/plain", "POST", "/api/v1/changes", "text/plain", KEY, batchBytes, 415));
        bad.add(new Bad("application/xml", "POST", "/api/v1/changes", "application/xml", KEY, batchBytes, 415));
        bad.add(new Bad("form encoded", "POST", "/api/v1/changes", "application/x-www-form-urlencoded", KEY,
                batchBytes, 415));
        bad.add(new Bad("no API key", "POST", "/api/v1/changes", JSON, null, batchBytes, 401));
        bad.add(new Bad("wrong API key", "POST", "/api/v1/changes", JSON, "not-the-key", batchBytes, 401));
        bad.add(new Bad("empty API key", "POST", "/api/v1/changes", JSON, "", batchBytes, 401));
        bad.add(new Bad("GET the intake", "GET", "/api/v1/changes", null, KEY, null, 405));
        bad.add(new Bad("PUT the intake", "PUT", "/api/v1/changes", JSON, KEY, batchBytes, 405));
        bad.add(new Bad("DELETE the intake", "DELETE", "/api/v1/changes", null, KEY, null, 405));
        bad.add(new Bad("unknown path", "POST", "/api/v1/chnages", JSON, KEY, batchBytes, 404));
        bad.add(new Bad("photo sync of a non-GUID", "POST", "/api/v1/users/ada/photo:sync", null, KEY, null, 400));
        bad.add(new Bad("photo sync without key", "POST", "/api/v1/users/" + ADA + "/photo:sync", null, null, null,
                401));
        return bad;
    }

    @Test
    void everyMalformedRequestIsRefusedWithAReasonAndNothingIsPublished() throws Exception {
        List<Bad> requests = requests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(50);
        List<String> wrong = new ArrayList<>();
        for (Bad bad : requests) {
            HttpResponse<String> response = send(bad);
            String reason = reasonOf(response);
            if (response.statusCode() != bad.status() || reason == null
                    || !response.headers().firstValue("content-type").orElse("").startsWith(
                            "application/problem+json")) {
                wrong.add(bad.name() + ": " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("requests not refused as expected").isEmpty();
        assertThat(committedRecords()).as("records published").isZero();
        System.out.printf("malformed requests: %d sent, %d refused with a 4xx and a reason, 0 published%n",
                requests.size(), requests.size());
    }

    private HttpResponse<String> send(Bad bad) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + bad.path()))
                .timeout(Duration.ofSeconds(10))
                .method(bad.method(), bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        if (bad.key() != null) {
            request.header("X-Api-Key", bad.key());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String reasonOf(HttpResponse<String> response) {
        try {
            JsonNode problem = MAPPER.readTree(response.body());
            return problem.hasNonNull("reason") ? problem.get("reason").asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private long committedRecords() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "malformed-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            long total = 0;
            for (String topic : List.of(Topics.USER_CHANGES, Topics.PHOTO_REQUESTS)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                total += end.values().stream().mapToLong(Long::longValue).sum();
            }
            return total;
        }
    }
}
