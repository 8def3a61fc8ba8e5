package dev.profilesync.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import dev.profilesync.ingest.ChangeIngestApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP intake against a real KRaft broker: accepted batches are on the topic, in one committed transaction,
 * before the 202; every kind of bad input is refused with a problem detail and publishes nothing.
 */
@SpringBootTest(classes = ChangeIngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=change-ingest",
            "profile-sync.ingest.intake.api-keys[0].name=hr-system",
            "profile-sync.ingest.intake.api-keys[0].key=" + ChangeIntakeIT.KEY,
            "profile-sync.ingest.intake.api-keys[0].sources=hr-system",
            "profile-sync.ingest.intake.max-batch-size=5",
            "profile-sync.ingest.intake.max-body-size=4KB",
            "profile-sync.ingest.topics.partitions=3"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ChangeIntakeIT {

    static final String KEY = "it-secret-key-for-the-intake-it";
    private static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void acceptsABatchOnlyAfterEveryChangeIsOnTheTopic() throws Exception {
        String bob = UUID.randomUUID().toString();
        HttpResponse<String> response = post("""
                {"source":"hr-system","changes":[
                  {"userId":"%s","eventId":"hr-1","fields":{"jobTitle":"Staff Engineer","mobilePhone":null}},
                  {"userId":"%s","deleted":true,"observedAt":"2026-11-25T09:00:00Z"}]}
                """.formatted(ADA.toUpperCase(), bob), KEY, "application/json");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted").intValue()).isEqualTo(2);
        assertThat(body.get("eventIds").get(0).stringValue()).isEqualTo("hr-1");

        List<UserEvent> events = readCommitted(2);
        assertThat(events).anySatisfy(event -> {
            assertThat(event).isInstanceOf(UserChanged.class);
            assertThat(event.eventId()).isEqualTo("hr-1");
            assertThat(event.userId()).isEqualTo(ADA);
            assertThat(event.source()).isEqualTo("hr-system");
        });
        assertThat(events).anySatisfy(event -> {
            assertThat(event).isInstanceOf(UserDeleted.class);
            assertThat(event.userId()).isEqualTo(bob);
        });
    }

    @Test
    void refusesEveryKindOfBadInputAndPublishesNothing() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        String good = "{\"userId\":\"" + ADA + "\",\"fields\":{\"city\":\"Oslo\"}}";

        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good, KEY, "application/json"), 400,
                "malformed-json");
        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good + "],\"priority\":1}", KEY,
                "application/json"), 400, "invalid-changes");
        JsonNode unknownField = assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good
                + ",{\"userId\":\"" + ADA + "\",\"fields\":{\"shoeSize\":\"44\"}}]}", KEY, "application/json"), 400,
                "invalid-changes");
        assertThat(unknownField.at("/errors/0/pointer").stringValue()).isEqualTo("/changes/1/fields/shoeSize");
        assertThat(unknownField.at("/errors/0/reason").stringValue()).isEqualTo("unknown-field");
        JsonNode missingId = assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good
                + ",{\"fields\":{\"city\":\"Oslo\"}}]}", KEY, "application/json"), 400, "invalid-changes");
        assertThat(missingId.at("/errors/0/pointer").stringValue()).isEqualTo("/changes/1/userId");
        JsonNode invalidId = assertProblem(post("{\"source\":\"hr-system\",\"changes\":[{\"userId\":\"42\","
                + "\"fields\":{\"city\":\"Oslo\"}}]}", KEY, "application/json"), 400, "invalid-changes");
        assertThat(invalidId.at("/errors/0/reason").stringValue()).isEqualTo("invalid-user-id");
        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + String.join(",", List.of(good, good, good,
                good, good, good)) + "]}", KEY, "application/json"), 413, "batch-too-large");
        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[{\"userId\":\"" + ADA
                + "\",\"fields\":{\"aboutMe\":\"" + "x".repeat(5000) + "\"}}]}", KEY, "application/json"), 413,
                "body-too-large");
        HttpResponse<String> wrongType = post("{\"source\":\"hr-system\",\"changes\":[" + good + "]}", KEY,
                "text/plain");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good + "]}", null, "application/json"), 401,
                "unauthenticated");
        assertProblem(post("{\"source\":\"hr-system\",\"changes\":[" + good + "]}", "wrong", "application/json"),
                401, "unauthenticated");

        assertThat(endOffsets()).isEqualTo(before);
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("reason").stringValue()).isEqualTo(reason);
        assertThat(problem.get("type").stringValue()).endsWith("/" + reason);
        return problem;
    }

    private HttpResponse<String> post(String body, String apiKey, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/changes"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "intake-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private List<UserEvent> readCommitted(int atLeast) {
        UserEventCodec codec = new UserEventCodec();
        List<UserEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer("read_committed")) {
            consumer.subscribe(List.of(Topics.USER_CHANGES));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(codec.decode(record.key(), record.headers(), record.value(), record.timestamp()));
                }
                return events.size() >= atLeast;
            });
        }
        return events;
    }

    private Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_CHANGES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }
}
