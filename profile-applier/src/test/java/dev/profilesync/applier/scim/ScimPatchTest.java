package dev.profilesync.applier.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.profilesync.events.ProfileField;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** PATCH as Entra ID and Okta send it, applied to a user's document and read back as profile fields. */
class ScimPatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Map<ProfileField, Object> patched(Map<ProfileField, Object> before, String request) {
        ObjectNode user = ScimUserMapping.toScim("6e7b768e-07e2-4810-8459-485f84f8f204", before, Instant.EPOCH, null,
                "http://example/scim/v2/Users/6e7b768e-07e2-4810-8459-485f84f8f204");
        ScimPatch.apply(user, JSON.readTree(request));
        return ScimUserMapping.fromScim(user);
    }

    private static Map<ProfileField, Object> ada() {
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        fields.put(ProfileField.USER_PRINCIPAL_NAME, "ada@example.com");
        fields.put(ProfileField.GIVEN_NAME, "Ada");
        fields.put(ProfileField.SURNAME, "Lovelace");
        fields.put(ProfileField.MAIL, "ada@example.com");
        fields.put(ProfileField.DEPARTMENT, "Engineering");
        fields.put(ProfileField.BUSINESS_PHONES, List.of("+44 20 1234"));
        return fields;
    }

    @Test
    void entraReplacesMultiValuedAndSingleValuedAttributes() {
        Map<ProfileField, Object> after = patched(ada(), """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
                 {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updatedEmail@microsoft.com"},
                 {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"},
                 {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                  "value":"2819c223-7f76-453a-919d-413861904646"},
                 {"op":"Replace","path":"active","value":"False"}]}""");
        assertThat(after).containsEntry(ProfileField.MAIL, "updatedEmail@microsoft.com")
                .containsEntry(ProfileField.SURNAME, "updatedFamilyName")
                .containsEntry(ProfileField.GIVEN_NAME, "Ada")
                .containsEntry(ProfileField.MANAGER_ID, "2819c223-7f76-453a-919d-413861904646")
                .containsEntry(ProfileField.ACCOUNT_ENABLED, false)
                .containsEntry(ProfileField.DEPARTMENT, "Engineering");
    }

    @Test
    void pathlessAddAndReplaceTakeAnObjectOfAttributes() {
        Map<ProfileField, Object> after = patched(ada(), """
                {"Operations":[{"op":"replace","value":{"active":false,"title":"Analyst",
                  "name.givenName":"Augusta",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Research",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"1815"}}}]}""");
        assertThat(after).containsEntry(ProfileField.ACCOUNT_ENABLED, false)
                .containsEntry(ProfileField.JOB_TITLE, "Analyst")
                .containsEntry(ProfileField.GIVEN_NAME, "Augusta")
                .containsEntry(ProfileField.DEPARTMENT, "Research")
                .containsEntry(ProfileField.EMPLOYEE_ID, "1815");
    }

    @Test
    void addAndRemoveOnMultiValuedAttributes() {
        Map<ProfileField, Object> after = patched(ada(), """
                {"Operations":[
                  {"op":"add","path":"phoneNumbers","value":[{"type":"mobile","value":"+44 7700 900"}]},
                  {"op":"remove","path":"phoneNumbers[type eq \\"work\\"]"},
                  {"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"},
                  {"op":"add","path":"addresses[type eq \\"work\\"].locality","value":"London"}]}""");
        assertThat(after).containsEntry(ProfileField.MOBILE_PHONE, "+44 7700 900")
                .containsEntry(ProfileField.BUSINESS_PHONES, null)
                .containsEntry(ProfileField.DEPARTMENT, null)
                .containsEntry(ProfileField.CITY, "London");
    }

    @Test
    void attributesTheProfileDoesNotHoldAreAcceptedAndNotKept() {
        Map<ProfileField, Object> after = patched(ada(), """
                {"Operations":[{"op":"Add","path":"roles[primary eq \\"True\\"].display","value":"Admin"},
                  {"op":"replace","path":"locale","value":"en-GB"}]}""");
        assertThat(after).containsEntry(ProfileField.USER_PRINCIPAL_NAME, "ada@example.com");
    }

    @Test
    void badOperationsAreRefusedWithTheirScimType() {
        assertRefused("{\"Operations\":[{\"op\":\"move\",\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax");
        assertRefused("{\"Operations\":[{\"op\":\"replace\",\"path\":\"shoeSize\",\"value\":\"x\"}]}", "invalidPath");
        assertRefused("{\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]}", "mutability");
        assertRefused("{\"Operations\":[{\"op\":\"remove\"}]}", "noTarget");
        assertRefused("{\"Operations\":[]}", "invalidSyntax");
        assertRefused("{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]}",
                "invalidValue");
        assertRefused("{\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":42}]}", "invalidValue");
        assertRefused("{\"Operations\":[{\"op\":\"replace\",\"value\":{\"shoeSize\":42}}]}", "invalidPath");
    }

    private static void assertRefused(String request, String scimType) {
        assertThatThrownBy(() -> patched(ada(), request)).as(request).isInstanceOfSatisfying(ScimException.class,
                e -> assertThat(e.scimType()).isEqualTo(scimType));
    }

    @Test
    void aUserDocumentMapsOntoProfileFieldsAndBack() {
        Map<ProfileField, Object> fields = ScimUserMapping.fromScim(JSON.readTree("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName":"ada@example.com","externalId":"00u1dhhb1fkIGP7RL1d8","active":"True",
                 "name":{"givenName":"Ada","familyName":"Lovelace","formatted":"Ada Lovelace"},
                 "displayName":"Ada Lovelace","title":"Analyst","preferredLanguage":"en-GB","locale":"en-GB",
                 "password":"ignored","groups":[],
                 "emails":[{"value":"home@example.com","type":"home"},{"value":"ada@example.com","type":"work"}],
                 "phoneNumbers":[{"value":"+44 7700","type":"mobile"},{"value":"+44 20","type":"work"}],
                 "addresses":[{"type":"work","locality":"London","country":"GB","formatted":"x"}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"1815",
                   "department":"Engineering","organization":"Analytical Engines",
                   "manager":{"value":"2819c223-7f76-453a-919d-413861904646"}}}"""));
        assertThat(fields).containsEntry(ProfileField.USER_PRINCIPAL_NAME, "ada@example.com")
                .containsEntry(ProfileField.EXTERNAL_ID, "00u1dhhb1fkIGP7RL1d8")
                .containsEntry(ProfileField.ACCOUNT_ENABLED, true)
                .containsEntry(ProfileField.MAIL, "ada@example.com")
                .containsEntry(ProfileField.MOBILE_PHONE, "+44 7700")
                .containsEntry(ProfileField.BUSINESS_PHONES, List.of("+44 20"))
                .containsEntry(ProfileField.CITY, "London").containsEntry(ProfileField.COUNTRY, "GB")
                .containsEntry(ProfileField.COMPANY_NAME, "Analytical Engines")
                .containsEntry(ProfileField.MANAGER_ID, "2819c223-7f76-453a-919d-413861904646");
        Map<ProfileField, Object> kept = new EnumMap<>(fields);
        kept.values().removeIf(java.util.Objects::isNull);
        ObjectNode back = ScimUserMapping.toScim("6e7b768e-07e2-4810-8459-485f84f8f204", kept, Instant.EPOCH, null,
                "loc");
        Map<ProfileField, Object> again = ScimUserMapping.fromScim(back);
        assertThat(again).isEqualTo(fields);
        assertThatThrownBy(() -> ScimUserMapping.fromScim(JSON.readTree("{\"userName\":\"a\",\"shoeSize\":42}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidSyntax"));
    }
}
