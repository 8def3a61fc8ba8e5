package dev.profilesync.applier.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.profilesync.applier.scim.ScimFilter.Condition;
import dev.profilesync.events.ProfileField;

class ScimFilterTest {

    @Test
    void readsTheFiltersProvisioningClientsSend() {
        assertThat(ScimFilter.parse("userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\""))
                .containsExactly(new Condition(ProfileField.USER_PRINCIPAL_NAME,
                        "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081", true));
        assertThat(ScimFilter.parse("externalId eq \"00u1dhhb1fkIGP7RL1d8\""))
                .containsExactly(new Condition(ProfileField.EXTERNAL_ID, "00u1dhhb1fkIGP7RL1d8", false));
        assertThat(ScimFilter.parse("emails[type eq \"work\"].value eq \"ada@example.com\""))
                .containsExactly(new Condition(ProfileField.MAIL, "ada@example.com", true));
        assertThat(ScimFilter.parse("ID EQ \"6e7b768e-07e2-4810-8459-485f84f8f204\"")).singleElement()
                .satisfies(condition -> assertThat(condition.isId()).isTrue());
        List<Condition> both = ScimFilter.parse("userName eq \"ada\" and externalId eq \"x \\\"y\\\"\"");
        assertThat(both).extracting(Condition::value).containsExactly("ada", "x \"y\"");
        assertThat(ScimFilter.parse(ScimUserMapping.ENTERPRISE + ":employeeNumber eq \"42\""))
                .containsExactly(new Condition(ProfileField.EMPLOYEE_ID, "42", false));
    }

    @Test
    void refusesWhatItCannotAnswerWithInvalidFilter() {
        for (String filter : List.of("userName co \"ada\"", "userName eq \"ada\" or userName eq \"bob\"",
                "(userName eq \"ada\")", "not (userName eq \"ada\")", "userName eq ada", "userName eq \"ada",
                "nickName eq \"ada\"", "emails[type eq \"home\"].value eq \"x\"", "userName eq",
                "userName pr", "emails[type eq \"work\".value eq \"x\"")) {
            assertThatThrownBy(() -> ScimFilter.parse(filter)).as(filter).isInstanceOfSatisfying(ScimException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.scimType()).isEqualTo("invalidFilter");
                    });
        }
    }
}
