package dev.profilesync.directory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;

/** Delta entries as Graph sends them, turned into contract events. */
class GraphUsersTest {

    private static final String ID = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void carriesOnlyThePropertiesPresentAndClearsThoseSentAsNull() {
        JsonNode user = parse("{\"id\":\"" + ID + "\",\"jobTitle\":\"Engineer\",\"officeLocation\":null,"
                + "\"businessPhones\":[\"+47 1\"],\"accountEnabled\":false}");
        UserChanged changed = (UserChanged) GraphUsers.toEvent(user, NOW).orElseThrow();
        assertThat(changed.userId()).isEqualTo(ID);
        assertThat(changed.source()).isEqualTo("graph");
        assertThat(changed.fields()).containsEntry(ProfileField.JOB_TITLE, "Engineer")
                .containsEntry(ProfileField.OFFICE_LOCATION, null)
                .containsEntry(ProfileField.BUSINESS_PHONES, List.of("+47 1"))
                .containsEntry(ProfileField.ACCOUNT_ENABLED, false)
                .doesNotContainKey(ProfileField.DEPARTMENT);
    }

    @Test
    void theExpandedManagerBecomesTheManagerId() {
        String manager = "1d2a3b4c-0000-4000-8000-00000000abcd";
        UserChanged changed = (UserChanged) GraphUsers.toEvent(parse("{\"id\":\"" + ID + "\",\"manager\":{"
                + "\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"" + manager + "\"}}"), NOW).orElseThrow();
        assertThat(changed.fields()).containsEntry(ProfileField.MANAGER_ID, manager);
    }

    @Test
    void removedBecomesADeletion() {
        JsonNode user = parse("{\"id\":\"" + ID + "\",\"@removed\":{\"reason\":\"deleted\"}}");
        assertThat(GraphUsers.toEvent(user, NOW)).containsInstanceOf(UserDeleted.class);
    }

    @Test
    void anEntryWithNothingTheContractKnowsIsSkipped() {
        assertThat(GraphUsers.toEvent(parse("{\"id\":\"" + ID + "\",\"ageGroup\":\"adult\"}"), NOW)).isEmpty();
        assertThat(GraphUsers.toEvent(parse("{\"id\":\"not-a-guid\",\"jobTitle\":\"x\"}"), NOW)).isEmpty();
    }

    private static JsonNode parse(String json) {
        return JsonMapper.builder().build().readTree(json);
    }

    @Test
    void textTheContractRefusesIsLeftOutWhileTheRestOfTheUserIsKept() {
        JsonNode user = parse("{\"id\":\"" + ID + "\",\"jobTitle\":\"Eng\\u0000ineer\",\"city\":\"Oslo\","
                + "\"businessPhones\":[\"+47 1\",\"\\u001b[31m\"]}");
        UserChanged changed = (UserChanged) GraphUsers.toEvent(user, NOW).orElseThrow();
        assertThat(changed.fields()).containsEntry(ProfileField.CITY, "Oslo")
                .doesNotContainKey(ProfileField.JOB_TITLE).doesNotContainKey(ProfileField.BUSINESS_PHONES);
    }
}
