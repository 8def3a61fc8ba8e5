package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.ServiceAcls;
import dev.profilesync.events.ServiceAcls.Service;
import dev.profilesync.events.Topics;

/**
 * Kafka with authentication and least-privilege ACLs: a real broker with SASL/SCRAM-SHA-512 listeners and KRaft's
 * {@code StandardAuthorizer} (nothing allowed without an ACL), every service running as its own principal with exactly
 * the grants of {@link ServiceAcls}. The whole flow works (directory load, intake, applier, photos, lag monitor), and
 * a principal without the grant cannot write {@code directory.user-changes}, read another service's group or write a
 * topic it does not own.
 */
class KafkaAclsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String ADMIN_PASSWORD = "broker-admin-" + UUID.randomUUID();
    private static final Map<Service, String> PASSWORDS = new EnumMap<>(Service.class);
    private static final String INTRUDER = "intruder";
    private static final String INTRUDER_PASSWORD = "intruder-" + UUID.randomUUID();

    @TempDir
    static Path dataDir;

    static LocalSystem system;
    static ProfileSyncClient client;

    @BeforeAll
    static void start() throws Exception {
        for (Service service : Service.values()) {
            PASSWORDS.put(service, service.serviceName() + "-" + UUID.randomUUID());
        }
        system = LocalSystem.start(FreePorts.settings(dataDir, null).withSimulator(200, 0), true,
                KafkaAclsIT::securedBroker, service -> List.of(
                        "--spring.kafka.security.protocol=SASL_PLAINTEXT",
                        "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                        "--spring.kafka.properties.sasl.jaas.config=" + scram(service.serviceName(),
                                PASSWORDS.get(service))));
        client = new ProfileSyncClient(system.settings());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** The broker with SCRAM for clients and between brokers, PLAIN on the controller listener, ACLs enforced. */
    private static LocalKafka securedBroker(LocalSettings settings) throws java.io.IOException {
        Map<String, String> server = new HashMap<>();
        server.put("listeners", "BROKER://127.0.0.1:" + settings.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                + settings.controllerPort());
        server.put("advertised.listeners", "BROKER://127.0.0.1:" + settings.kafkaPort());
        server.put("inter.broker.listener.name", "BROKER");
        server.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        server.put("listener.name.broker.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        server.put("listener.name.broker.scram-sha-512.sasl.jaas.config", scram("admin", ADMIN_PASSWORD));
        server.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        // SCRAM credentials live in the metadata log, which the controller serves: its own listener uses PLAIN
        server.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        server.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                        + ADMIN_PASSWORD + "\" user_admin=\"" + ADMIN_PASSWORD + "\";");
        server.put("sasl.mechanism.controller.protocol", "PLAIN");
        server.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        server.put("super.users", "User:admin");
        server.put("allow.everyone.if.no.acl.found", "false");
        LocalKafka kafka = LocalKafka.start(settings, server,
                List.of("--add-scram", "SCRAM-SHA-512=[name=admin,password=" + ADMIN_PASSWORD + "]"));
        try (Admin admin = Admin.create(clientProperties(settings, "admin", ADMIN_PASSWORD))) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (Service service : Service.values()) {
                users.add(user(service.serviceName(), PASSWORDS.get(service)));
                acls.addAll(ServiceAcls.bindings(service, "User:" + service.serviceName(), ""));
            }
            users.add(user(INTRUDER, INTRUDER_PASSWORD));
            admin.alterUserScramCredentials(users).all().get();
            admin.createAcls(acls).all().get();
        } catch (InterruptedException | ExecutionException e) {
            kafka.close();
            throw new IllegalStateException("could not create the principals and their ACLs", e);
        }
        return kafka;
    }

    @Test
    void everyServiceWorksWithItsOwnPrincipal() throws Exception {
        // directory-sync (transactional producer, lease group, state topic) loads the tenant; the applier stores it
        String seeded = firstSimulatedUser();
        await().atMost(PATIENCE).until(() -> client.profile(seeded) != null);

        // change-ingest writes, the applier reads with its group
        String user = UUID.randomUUID().toString();
        HttpResponse<String> accepted = client.post("""
                {"source":"hr-system","changes":[{"userId":"%s","fields":{"displayName":"Ada Lovelace"}}]}
                """.formatted(user));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        await().atMost(PATIENCE).until(() -> client.profile(user) != null);

        // photo-sync reads photo changes and announces thumbnails on directory.user-changes
        await().atMost(PATIENCE).until(() -> client.profile(seeded).has("photoEtag")
                || client.profile(firstSimulatedUserWithPhoto()).has("photoEtag"));

        // photo-sync reads the applier group's backlog (to pause its bulk lane behind it) with its describe grant
        await().atMost(PATIENCE).until(() -> client.metric(system.settings().management().photo(),
                "photo_sync_profile_backlog_records").values().stream().allMatch(backlog -> backlog >= 0));
        assertThat(client.metric(system.settings().management().photo(), "photo_sync_bulk_pause_check_failures_total")
                .values()).containsOnly(0.0);

        // sync-monitor describes the groups and reads the records at their committed offsets
        await().atMost(PATIENCE).until(() -> client.metric(system.settings().management().monitor(),
                "profile_sync_lag_seconds").keySet().stream().anyMatch(labels -> labels.contains(
                        "group=\"" + ConsumerGroups.PROFILE_APPLIER + "\"")));
    }

    @Test
    void aPrincipalWithoutTheGrantCannotWriteUserChanges() {
        try (KafkaProducer<String, String> intruder = producer(INTRUDER, INTRUDER_PASSWORD)) {
            assertThatThrownBy(() -> intruder.send(new ProducerRecord<>(Topics.USER_CHANGES, "u", "{}")).get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aServiceCannotWriteWhatItDoesNotOwnNorReadAnotherServicesGroup() {
        Service ingest = Service.CHANGE_INGEST;
        try (KafkaProducer<String, String> producer = producer(ingest.serviceName(), PASSWORDS.get(ingest))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.INGEST_STATE, "graph/users/cursor",
                    "{}")).get()).as("directory-sync's state is directory-sync's")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        Service photos = Service.PHOTO_SYNC;
        Map<String, Object> props = clientProperties(system.settings(), photos.serviceName(), PASSWORDS.get(photos));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.PROFILE_APPLIER);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.USER_CHANGES));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).as("the applier's group is the applier's")
                    .isInstanceOfAny(GroupAuthorizationException.class, TopicAuthorizationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (KafkaProducer<String, String> producer = producer(Service.CHANGE_INGEST.serviceName(), "wrong")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.USER_CHANGES, "u", "{}")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> props = clientProperties(system.settings(), user, password);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> clientProperties(LocalSettings settings, String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, scram(user, password));
        return props;
    }

    private static UserScramCredentialUpsertion user(String name, String password) {
        return new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                password);
    }

    private static String scram(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String firstSimulatedUser() throws Exception {
        return simulatedUser(1);
    }

    private static String firstSimulatedUserWithPhoto() throws Exception {
        return simulatedUser(3);
    }

    private static String simulatedUser(int index) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                system.simulator().baseUrl() + "/admin/users?offset=" + index + "&limit=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).get("users").get(0)
                .get("id").asString();
    }
}
