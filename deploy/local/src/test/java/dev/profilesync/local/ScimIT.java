package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;

import dev.profilesync.events.Topics;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SCIM 2.0 provisioning against the running embedded system: a SCIM client nobody here wrote (UnboundID's SDK)
 * creates, finds, patches, replaces, deactivates and deletes a user; the request sequences Microsoft documents for
 * Entra ID provisioning and those Okta sends are replayed with their bodies; bad input gets SCIM errors and publishes
 * nothing. Every write is visible to the very next read, and in the read API.
 */
class ScimIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static LocalSystem system;
    static ProfileSyncClient client;
    static String base;
    static String token;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Client jaxrs;
    static ScimService scim;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(FreePorts.settings(dataDir, null));
        client = new ProfileSyncClient(system.settings());
        base = "http://127.0.0.1:" + system.settings().applierPort() + "/scim/v2";
        token = Files.readString(dataDir.resolve(LocalSystem.SCIM_TOKEN_FILE)).trim();
        jaxrs = ClientBuilder.newClient(new org.glassfish.jersey.client.ClientConfig().connectorProvider(
                new org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider()));
        scim = new ScimService(jaxrs.target(base).register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                request.getHeaders().putSingle("Authorization", "Bearer " + token)));
    }

    @AfterAll
    static void stop() {
        if (jaxrs != null) {
            jaxrs.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aScimClientCreatesFindsPatchesReplacesDeactivatesAndDeletesAUser() throws Exception {
        UserResource ada = new UserResource().setUserName("ada.lovelace@example.com")
                .setName(new Name().setGivenName("Ada").setFamilyName("Lovelace"))
                .setDisplayName("Ada Lovelace")
                .setEmails(List.of(new Email().setValue("ada.lovelace@example.com").setType("work").setPrimary(true)))
                .setActive(true);
        ada.setExternalId("okta-00u1dhhb1fkIGP7RL1d8");
        UserResource created = scim.create("Users", ada);
        String id = created.getId();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(created.getMeta().getLocation().toString()).isEqualTo(base + "/Users/" + id);

        UserResource read = scim.retrieve("Users", id, UserResource.class);
        assertThat(read.getName().getGivenName()).as("read your writes").isEqualTo("Ada");
        assertThat(client.profile(id).get("userPrincipalName").asString()).isEqualTo("ada.lovelace@example.com");

        ListResponse<UserResource> byName = scim.searchRequest("Users")
                .filter("userName eq \"ADA.LOVELACE@example.com\"").invoke(UserResource.class);
        assertThat(byName.getTotalResults()).isEqualTo(1);
        assertThat(byName.getResources().get(0).getId()).isEqualTo(id);
        ListResponse<UserResource> byExternalId = scim.searchRequest("Users")
                .filter("externalId eq \"okta-00u1dhhb1fkIGP7RL1d8\" and userName eq \"ada.lovelace@example.com\"")
                .invoke(UserResource.class);
        assertThat(byExternalId.getResources()).extracting(UserResource::getId).containsExactly(id);

        UserResource patched = scim.modifyRequest("Users", id).replaceValue("title", "Analyst")
                .invoke(UserResource.class);
        assertThat(patched.getTitle()).isEqualTo("Analyst");
        assertThat(client.profile(id).get("jobTitle").asString()).isEqualTo("Analyst");

        UserResource current = scim.retrieve("Users", id, UserResource.class);
        current.setDisplayName("Countess of Lovelace");
        current.setTitle(null);
        UserResource replaced = scim.replace(current);
        assertThat(replaced.getDisplayName()).isEqualTo("Countess of Lovelace");
        assertThat(replaced.getTitle()).as("a PUT clears what it leaves out").isNull();
        assertThat(client.profile(id).has("jobTitle")).isFalse();

        UserResource deactivated = scim.modifyRequest("Users", id).replaceValue("active", false)
                .invoke(UserResource.class);
        assertThat(deactivated.getActive()).isFalse();
        assertThat(client.profile(id).get("accountEnabled").booleanValue()).as("deactivated, not deleted").isFalse();
        assertThat(scim.retrieve("Users", id, UserResource.class).getActive()).isFalse();

        assertThatThrownBy(() -> scim.create("Users", new UserResource().setUserName("Ada.Lovelace@example.com")))
                .as("userName is unique").isInstanceOf(ResourceConflictException.class);

        scim.delete("Users", id);
        assertThatThrownBy(() -> scim.retrieve("Users", id, UserResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(client.profile(id)).as("a deletion in the store").isNull();
    }

    @Test
    void replaysEntraIdProvisioningRequests() throws Exception {
        // the request bodies Microsoft documents for the Entra ID provisioning service
        String userName = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1";
        HttpResponse<String> absent = send("GET", "/Users?filter=" + query("userName eq \"" + userName + "\""), null);
        assertThat(absent.statusCode()).isEqualTo(200);
        assertThat(json(absent).get("totalResults").asInt()).isZero();
        assertThat(json(absent).get("Resources").size()).isZero();

        HttpResponse<String> created = send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
                 "userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
                 "active":true,
                 "emails":[{"primary":true,"type":"work",
                   "value":"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"}],
                 "meta":{"resourceType":"User"},
                 "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                 "roles":[]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/scim+json"));
        String id = json(created).get("id").asString();
        assertThat(id).as("an externalId that is an object id becomes the profile id")
                .isEqualTo("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");

        HttpResponse<String> found = send("GET", "/Users?filter=" + query("userName eq \"" + userName + "\""), null);
        assertThat(json(found).get("totalResults").asInt()).isEqualTo(1);
        assertThat(json(found).get("Resources").get(0).get("id").asString()).isEqualTo(id);
        HttpResponse<String> byMail = send("GET", "/Users?filter=" + query(
                "emails[type eq \"work\"].value eq \"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com\""),
                null);
        assertThat(json(byMail).get("totalResults").asInt()).isEqualTo(1);

        HttpResponse<String> multiValued = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[
                  {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updatedEmail@microsoft.com"},
                  {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]}""");
        assertThat(multiValued.statusCode()).as(multiValued.body()).isEqualTo(200);
        HttpResponse<String> singleValued = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","path":"userName",
                   "value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]}""");
        assertThat(singleValued.statusCode()).as(singleValued.body()).isEqualTo(200);
        HttpResponse<String> manager = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Add","value":{
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Engineering",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":"2819c223-7f76-453a-919d-413861904646"}}]}""");
        assertThat(manager.statusCode()).as(manager.body()).isEqualTo(200);
        JsonNode profile = client.profile(id);
        assertThat(profile.get("mail").asString()).isEqualTo("updatedEmail@microsoft.com");
        assertThat(profile.get("surname").asString()).isEqualTo("updatedFamilyName");
        assertThat(profile.get("userPrincipalName").asString()).isEqualTo("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
        assertThat(profile.get("department").asString()).isEqualTo("Engineering");
        assertThat(profile.get("managerId").asString()).isEqualTo("2819c223-7f76-453a-919d-413861904646");

        HttpResponse<String> disabled = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","path":"active","value":"False"}]}""");
        assertThat(json(disabled).get("active").booleanValue()).isFalse();
        HttpResponse<String> afterDisable = send("GET", "/Users?filter=" + query(
                "userName eq \"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com\""), null);
        assertThat(json(afterDisable).get("Resources").get(0).get("active").booleanValue()).isFalse();

        assertThat(send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/Users/" + id, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void replaysOktaProvisioningRequests() throws Exception {
        HttpResponse<String> absent = send("GET", "/Users?filter=" + query("userName eq \"grace.hopper@example.com\"")
                + "&startIndex=1&count=100", null);
        assertThat(json(absent).get("totalResults").asInt()).isZero();
        HttpResponse<String> created = send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName":"grace.hopper@example.com",
                 "name":{"givenName":"Grace","familyName":"Hopper"},
                 "emails":[{"primary":true,"value":"grace.hopper@example.com","type":"work"}],
                 "displayName":"Grace Hopper","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
                 "groups":[],"password":"1mz050nq","active":true}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asString();
        assertThat(send("GET", "/Users/" + id, null).statusCode()).isEqualTo(200);

        HttpResponse<String> put = send("PUT", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s",
                 "userName":"grace.hopper@example.com",
                 "name":{"givenName":"Grace","familyName":"Hopper"},
                 "emails":[{"primary":true,"value":"grace.hopper@example.com","type":"work"}],
                 "displayName":"Rear Admiral Grace Hopper","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
                 "groups":[],"active":true,"title":"Computer Scientist",
                 "meta":{"resourceType":"User"}}""".formatted(id));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(client.profile(id).get("displayName").asString()).isEqualTo("Rear Admiral Grace Hopper");
        HttpResponse<String> byExternalId = send("GET", "/Users?filter=" + query(
                "externalId eq \"00ujl29u0le5T6Aj10h7\""), null);
        assertThat(json(byExternalId).get("Resources").get(0).get("id").asString()).isEqualTo(id);

        HttpResponse<String> deactivated = send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""");
        assertThat(json(deactivated).get("active").booleanValue()).isFalse();
        assertThat(client.profile(id).get("accountEnabled").booleanValue()).isFalse();
        assertThat(client.profile(id).get("displayName").asString()).as("a deactivation keeps the profile")
                .isEqualTo("Rear Admiral Grace Hopper");
    }

    @Test
    void badInputGetsScimErrorsAndPublishesNothing() throws Exception {
        String id = json(send("POST", "/Users", "{\"userName\":\"bad.input@example.com\"}")).get("id").asString();
        long before = endOffsets();
        assertRefused(send("GET", "/Users?filter=" + query("userName co \"x\""), null), 400, "invalidFilter");
        assertRefused(send("GET", "/Users?filter=" + query("userName eq \"x"), null), 400, "invalidFilter");
        assertRefused(send("POST", "/Users", "{\"userName\":\"x@example.com\",\"shoeSize\":44}"), 400,
                "invalidSyntax");
        assertRefused(send("POST", "/Users", "{\"userName\":42}"), 400, "invalidValue");
        assertRefused(send("POST", "/Users", "{\"displayName\":\"no user name\"}"), 400, "invalidValue");
        assertRefused(send("POST", "/Users", "{\"userName\":\"x@example.com\",\"active\":\"maybe\"}"), 400,
                "invalidValue");
        assertRefused(send("POST", "/Users", "{\"userName\":\"x@example.com\",\"title\":\"" + "t".repeat(200)
                + "\"}"), 400, "invalidValue");
        assertRefused(send("POST", "/Users", "{\"userName\":\"nul\\u0000@example.com\"}"), 400, "invalidValue");
        assertRefused(send("POST", "/Users", "{\"userName\":"), 400, "invalidSyntax");
        assertRefused(send("POST", "/Users", "[]"), 400, "invalidSyntax");
        assertRefused(send("PATCH", "/Users/" + id, "{\"Operations\":[{\"op\":\"replace\",\"path\":\"shoeSize\","
                + "\"value\":1}]}"), 400, "invalidPath");
        assertRefused(send("PATCH", "/Users/" + id, "{\"Operations\":[{\"op\":\"replace\",\"path\":\"id\","
                + "\"value\":\"x\"}]}"), 400, "mutability");
        assertRefused(send("PATCH", "/Users/" + id, "{\"Operations\":[{\"op\":\"remove\",\"path\":\"userName\"}]}"),
                400, "mutability");
        HttpResponse<String> huge = send("POST", "/Users", "{\"userName\":\"x@example.com\",\"displayName\":\""
                + "x".repeat(300 * 1024) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(send("GET", "/Users/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/Users/not-an-id", null).statusCode()).isEqualTo(404);
        assertThat(endOffsets()).as("nothing published").isEqualTo(before);
    }

    @Test
    void provisioningNeedsAClientToken() throws Exception {
        assertThat(raw("GET", "/Users", null).statusCode()).isEqualTo(401);
        assertThat(raw("GET", "/Users", "Bearer not-the-token-but-long-enough-to-look-like-one").statusCode())
                .isEqualTo(401);
        assertThat(raw("GET", "/Users", client.bearer(LocalTokens.READ_TOKEN)).statusCode())
                .as("a read token is not a provisioning token").isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.settings().applierPort()
                + "/api/v1/profiles")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("a SCIM token reads no profiles")
                .isEqualTo(401);
        assertThat(json(raw("GET", "/Users", null)).get("status").asString()).isEqualTo("401");
    }

    @Test
    void describesWhatItSupports() throws Exception {
        assertThat(scim.getServiceProviderConfig().getPatch().isSupported()).isTrue();
        assertThat(scim.getServiceProviderConfig().getFilter().isSupported()).isTrue();
        assertThat(scim.getServiceProviderConfig().getBulk().isSupported()).isFalse();
        assertThat(scim.getResourceTypes().getResources()).extracting(type -> type.getName()).containsExactly("User");
        assertThat(scim.getSchemas().getResources()).extracting(schema -> schema.getId()).containsExactly(
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        HttpResponse<String> projected = send("GET", "/Users?attributes=userName&count=1", null);
        assertThat(projected.statusCode()).isEqualTo(200);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String scimType) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response);
        assertThat(error.get("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(error.get("status").asString()).isEqualTo(String.valueOf(status));
        assertThat(error.get("scimType").asString()).as(response.body()).isEqualTo(scimType);
    }

    private static long endOffsets() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_CHANGES).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return raw(method, path, "Bearer " + token, body);
    }

    private static HttpResponse<String> raw(String method, String path, String authorization) throws Exception {
        return raw(method, path, authorization, null);
    }

    private static HttpResponse<String> raw(String method, String path, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/scim+json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static String query(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
