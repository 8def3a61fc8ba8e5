package dev.profilesync.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.profilesync.events.Topics;
import dev.profilesync.ingest.ChangeIngestApplication;

/**
 * The intake's door, tried the way an attacker would, over a raw socket so that no client library normalises the
 * request first: path parameters, percent-encoding, double slashes, dot segments, case, trailing slashes and
 * method-override headers never reach the intake without a key; and a key holder writes only as the sources it owns.
 */
@SpringBootTest(classes = ChangeIngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=change-ingest",
            "profile-sync.ingest.intake.api-keys[0].name=hr-system",
            "profile-sync.ingest.intake.api-keys[0].key=" + IntakeSecurityIT.HR_KEY,
            "profile-sync.ingest.intake.api-keys[0].sources=hr-system",
            "profile-sync.ingest.intake.api-keys[1].name=self-service-portal",
            "profile-sync.ingest.intake.api-keys[1].key-sha256=" + IntakeSecurityIT.PORTAL_KEY_SHA256,
            "profile-sync.ingest.intake.api-keys[1].sources=self-service",
            "profile-sync.ingest.topics.partitions=2"})
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class IntakeSecurityIT {

    static final String HR_KEY = "hr-system-key-0123456789abcdef";
    static final String PORTAL_KEY = "portal-key-fedcba9876543210xyz";
    /** SHA-256 of {@link #PORTAL_KEY}: the portal's key itself is in no configuration. */
    static final String PORTAL_KEY_SHA256 = "4a41e2100ae6016a88cad00975fe2f0403b61e4e538d51a52a29918ef98cd461";
    private static final String ADA = "6e7b768e-07e2-4810-8459-485f84f8f204";

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private static String batch(String source, String field) {
        return "{\"source\":\"" + source + "\",\"changes\":[{\"userId\":\"" + ADA + "\",\"fields\":{\"" + field
                + "\":\"x\"}}]}";
    }

    @Test
    void noPathTrickReachesTheIntakeWithoutAKey() throws Exception {
        long before = committed();
        String body = batch("hr-system", "city");
        List<String> targets = List.of("/api;x/v1/changes", "/api/v1;x/changes", "/api/v1/changes;jsessionid=1",
                "/%61pi/v1/changes", "/api/v1/%63hanges", "/api%2Fv1%2Fchanges", "/api/v1/changes%2F",
                "//api/v1/changes", "/api//v1/changes", "/./api/v1/changes", "/api/./v1/changes",
                "/api/x/../v1/changes", "/api/v1/x/..%2Fchanges", "/API/v1/changes", "/Api/V1/Changes",
                "/api/v1/changes/", "/api/v1/changes//", "/api/v1/changes?x=1", "/api/v1/changes%00",
                "/api/v1/changes%20");
        List<String> let = new ArrayList<>();
        for (String target : targets) {
            int status = raw("POST", target, body, Map.of());
            if (status < 400) {
                let.add(target + " -> " + status);
            }
        }
        for (String override : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            int status = raw("GET", "/api/v1/changes", body, Map.of(override, "POST"));
            if (status < 400) {
                let.add("GET with " + override + ": POST -> " + status);
            }
        }
        int formOverride = raw("GET", "/api/v1/changes?_method=POST", body, Map.of());
        if (formOverride < 400) {
            let.add("_method=POST -> " + formOverride);
        }
        assertThat(let).as("requests let through without a key").isEmpty();
        assertThat(committed()).as("records published").isEqualTo(before);
    }

    @Test
    void aClientWritesOnlyAsTheSourcesItOwns() throws Exception {
        long before = committed();
        assertThat(raw("POST", "/api/v1/changes", batch("self-service", "aboutMe"), Map.of("X-Api-Key", HR_KEY)))
                .as("hr-system claiming self-service").isEqualTo(403);
        assertThat(raw("POST", "/api/v1/changes", batch("graph", "city"), Map.of("X-Api-Key", HR_KEY)))
                .as("hr-system claiming the directory reader's source").isEqualTo(403);
        assertThat(raw("POST", "/api/v1/changes", batch("photo-sync", "photoUrl"), Map.of("X-Api-Key", PORTAL_KEY)))
                .as("the portal claiming photo-sync").isEqualTo(403);
        assertThat(committed()).isEqualTo(before);

        assertThat(raw("POST", "/api/v1/changes", batch("hr-system", "city"), Map.of("X-Api-Key", HR_KEY)))
                .isEqualTo(202);
        assertThat(raw("POST", "/api/v1/changes", batch("self-service", "aboutMe"), Map.of("X-Api-Key", PORTAL_KEY)))
                .as("a key configured only by its SHA-256").isEqualTo(202);
        assertThat(raw("POST", "/api/v1/changes", batch("hr-system", "city"), Map.of("X-Api-Key", PORTAL_KEY + "x")))
                .isEqualTo(401);
    }

    @Test
    void everythingButTheIntakeAndTheProbesIsClosed() throws Exception {
        assertThat(raw(managementPort, "GET", "/actuator/health", "", Map.of())).isEqualTo(200);
        assertThat(raw(managementPort, "GET", "/actuator/prometheus", "", Map.of())).isEqualTo(200);
        assertThat(raw(managementPort, "GET", "/actuator/env", "", Map.of())).isGreaterThanOrEqualTo(400);
        assertThat(raw(managementPort, "GET", "/actuator/metrics", "", Map.of()))
                .as("the management port is behind the same rules").isIn(401, 403);
        assertThat(raw("GET", "/actuator/health", "", Map.of())).as("operations are not on the API port")
                .isGreaterThanOrEqualTo(400);
        assertThat(raw("GET", "/v3/api-docs", "", Map.of("X-Api-Key", HR_KEY))).isGreaterThanOrEqualTo(400);
        assertThat(raw("GET", "/swagger-ui.html", "", Map.of())).isGreaterThanOrEqualTo(400);
        assertThat(raw("GET", "/actuator/env", "", Map.of("X-Api-Key", HR_KEY))).isGreaterThanOrEqualTo(400);
    }

    /** Sends one HTTP/1.1 request exactly as written and returns the status code. */
    private int raw(String method, String target, String body, Map<String, String> headers) throws IOException {
        return raw(port, method, target, body, headers);
    }

    private int raw(int port, String method, String target, String body, Map<String, String> headers)
            throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                + "\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private long committed() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "security-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_CHANGES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
