package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEvent;

import dev.profilesync.applier.read.ProfileQueries;

/**
 * A poll written in parts on a writer thread is still one transaction: later parts see earlier ones, a failure in any
 * part or an abandoned poll leaves nothing in the store, and the commit callback sees every event exactly once.
 */
class PipelinedWriteIT {

    private static final String ADA = "00000000-0000-4000-8000-00000000000a";
    private static final String BOB = "00000000-0000-4000-8000-00000000000b";
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool();
    private static TestDatabases postgres;
    private static TestDatabases h2;
    private static BatchMerger merger;

    private final List<UserEvent> committedEvents = new ArrayList<>();
    private final AtomicInteger committedRows = new AtomicInteger();

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        h2 = TestDatabases.h2();
        merger = new BatchMerger(new FieldOwnership(Map.of(FieldOwner.DIRECTORY, List.of("graph"))),
                BatchMerger.Refusals.UNCOUNTED);
    }

    @AfterAll
    static void stop() throws SQLException {
        WRITERS.shutdown();
        if (postgres != null) {
            postgres.close();
        }
        if (h2 != null) {
            h2.close();
        }
    }

    @AfterEach
    void clean() {
        postgres.truncate();
        h2.truncate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void laterPartsOfAPollSeeTheEarlierOnesAndTheNewestWriteWins(String vendor) {
        ProfileWriter store = database(vendor).store();
        ProfileQueries queries = database(vendor).queries();
        try (PipelinedWrite write = begin(store)) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.JOB_TITLE, "Engineer"),
                    change("e-2", ADA, 10, ProfileField.DEPARTMENT, "Research")));
            write.write(List.of(change("e-3", ADA, 20, ProfileField.JOB_TITLE, "Architect"),
                    change("e-4", ADA, 5, ProfileField.JOB_TITLE, "Intern"), // older: loses
                    change("e-5", BOB, 5, ProfileField.CITY, "Oslo")));
            write.write(List.of(change("e-6", ADA, 1, ProfileField.CITY, "Turin")));
            write.commit();
        }

        assertThat(queries.find(ADA)).hasValueSatisfying(ada -> assertThat(ada.fields()).containsEntry(
                ProfileField.JOB_TITLE, "Architect").containsEntry(ProfileField.DEPARTMENT, "Research")
                .containsEntry(ProfileField.CITY, "Turin"));
        assertThat(queries.find(BOB)).hasValueSatisfying(bob -> assertThat(bob.fields()).containsEntry(
                ProfileField.CITY, "Oslo"));
        assertThat(committedEvents).extracting(UserEvent::eventId).containsExactly("e-1", "e-2", "e-3", "e-4", "e-5",
                "e-6");
        assertThat(committedRows).hasValue(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aFailingPartRollsBackTheWholePoll(String vendor) {
        ProfileWriter store = database(vendor).store();
        ProfileQueries queries = database(vendor).queries();
        String tooLongForTheStore = "e-" + "x".repeat(200);
        try (PipelinedWrite write = begin(store)) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.JOB_TITLE, "Engineer")));
            write.write(List.of(change(tooLongForTheStore, BOB, 10, ProfileField.JOB_TITLE, "Engineer")));
            write.write(List.of(change("e-3", BOB, 11, ProfileField.CITY, "Oslo")));
            assertThatThrownBy(write::commit).isInstanceOf(DataAccessException.class);
        }

        assertThat(queries.find(ADA)).isEmpty();
        assertThat(queries.find(BOB)).isEmpty();
        assertThat(committedEvents).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aPollAbandonedBeforeItsCommitLeavesNothing(String vendor) {
        ProfileWriter store = database(vendor).store();
        ProfileQueries queries = database(vendor).queries();
        try (PipelinedWrite write = begin(store)) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.JOB_TITLE, "Engineer")));
            // e.g. the dead-letter producer failed while decoding the next part: the listener throws
        }

        assertThat(queries.find(ADA)).isEmpty();
        assertThat(committedEvents).isEmpty();

        try (PipelinedWrite write = begin(store)) {
            write.write(List.of(change("e-2", ADA, 11, ProfileField.JOB_TITLE, "Architect")));
            write.commit();
        }
        assertThat(queries.find(ADA)).hasValueSatisfying(ada -> assertThat(ada.fields()).containsEntry(
                ProfileField.JOB_TITLE, "Architect"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void everyKindOfValueSurvivesAManyRowStatement(String vendor) {
        ProfileWriter store = database(vendor).store();
        ProfileQueries queries = database(vendor).queries();
        String cy = "00000000-0000-4000-8000-00000000000c";
        try (PipelinedWrite write = begin(store)) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.BUSINESS_PHONES, List.of("+47 1", "ext. \"9\"")),
                    change("e-2", ADA, 10, ProfileField.ACCOUNT_ENABLED, false),
                    change("e-3", ADA, 10, ProfileField.DISPLAY_NAME, "Ada, {Lovelace} \\ NULL"),
                    change("e-4", BOB, 10, ProfileField.JOB_TITLE, "Engineer"),
                    change("e-5", cy, 10, ProfileField.CITY, "Oslo"),
                    change("e-9", BOB, 10, ProfileField.DEPARTMENT, "Forskning \u00c5se \u00d8rsted \ud83d\ude00 \"{a,b}\""),
                    change("e-10", BOB, 10, ProfileField.OFFICE_LOCATION, "")));
            write.commit();
        }
        try (PipelinedWrite write = begin(store)) {
            java.util.Map<ProfileField, Object> cleared = new java.util.EnumMap<>(ProfileField.class);
            cleared.put(ProfileField.JOB_TITLE, null);
            write.write(List.of(new UserChanged("e-6", BOB, "graph", T.plusSeconds(11), cleared),
                    new dev.profilesync.events.UserDeleted("e-7", cy, "graph", T.plusSeconds(11)),
                    change("e-8", ADA, 11, ProfileField.CITY, "London")));
            write.commit();
        }

        assertThat(queries.find(ADA)).hasValueSatisfying(ada -> {
            assertThat(ada.present()).isTrue();
            assertThat(ada.fields()).containsEntry(ProfileField.BUSINESS_PHONES, List.of("+47 1", "ext. \"9\""))
                    .containsEntry(ProfileField.ACCOUNT_ENABLED, false)
                    .containsEntry(ProfileField.DISPLAY_NAME, "Ada, {Lovelace} \\ NULL")
                    .containsEntry(ProfileField.CITY, "London");
        });
        assertThat(queries.find(BOB)).hasValueSatisfying(bob -> {
            assertThat(bob.present()).isTrue();
            assertThat(bob.fields()).doesNotContainKey(ProfileField.JOB_TITLE)
                    .containsEntry(ProfileField.DEPARTMENT, "Forskning \u00c5se \u00d8rsted \ud83d\ude00 \"{a,b}\"")
                    .containsEntry(ProfileField.OFFICE_LOCATION, "");
        });
        assertThat(queries.find(cy)).hasValueSatisfying(deleted -> {
            assertThat(deleted.present()).isFalse();
            assertThat(deleted.fields()).isEmpty();
        });
    }

    @org.junit.jupiter.api.Test
    void onPostgresEachUsersRowIsHandedOverOnceAsTheTransactionLeavesIt() {
        ProfileWriter store = postgres.store();
        ProfileQueries queries = postgres.queries();
        store.apply(merger.merge(List.of(change("e-0", BOB, 50, ProfileField.CITY, "Oslo"))), T.plusSeconds(60));
        List<dev.profilesync.applier.store.StoredProfile> handed = new ArrayList<>();
        try (PipelinedWrite write = new PipelinedWrite(WRITERS, store, merger, Clock.systemUTC(), handed::addAll,
                (events, rows) -> { })) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.JOB_TITLE, "Engineer"),
                    change("e-2", BOB, 10, ProfileField.CITY, "Bergen")));
            write.write(List.of(change("e-3", ADA, 20, ProfileField.DEPARTMENT, "Research")));
            write.commit();
        }
        Map<String, dev.profilesync.applier.store.StoredProfile> byUser = new java.util.HashMap<>();
        handed.forEach(row -> byUser.put(row.userId(), row));
        assertThat(handed).as("each user once").hasSize(2);
        assertThat(byUser).containsOnlyKeys(ADA, BOB);
        // ADA as the second part left it; BOB unchanged by the older write, and still handed back
        assertThat(byUser.get(ADA)).isEqualTo(queries.find(ADA).orElseThrow());
        assertThat(byUser.get(ADA).fields()).containsEntry(ProfileField.JOB_TITLE, "Engineer")
                .containsEntry(ProfileField.DEPARTMENT, "Research");
        assertThat(byUser.get(BOB)).isEqualTo(queries.find(BOB).orElseThrow());
        assertThat(byUser.get(BOB).fields()).containsEntry(ProfileField.CITY, "Oslo");
        // the read API's narrower row: the same profile without the register versions
        for (String user : List.of(ADA, BOB)) {
            var whole = queries.find(user).orElseThrow();
            assertThat(queries.view(user)).hasValue(new dev.profilesync.applier.store.StoredProfile(whole.userId(),
                    whole.present(), whole.fields(), whole.lastObservedAt(), whole.lastEventId(), whole.lastSource(),
                    whole.lastAppliedAt(), whole.lastDelayMillis(), Map.of()));
            assertThat(whole.versions()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void eachRegisterKeepsTheEventIdOfItsOwnVersion(String vendor) throws SQLException {
        ProfileWriter store = database(vendor).store();
        // stored first: BOB's city from e-0; then one statement merges ADA's two events and updates one of BOB's
        // registers, so the rows carry registers of several events (the upsert sends only those not the row's last)
        store.apply(merger.merge(List.of(change("e-0", BOB, 5, ProfileField.CITY, "Oslo"))), T.plusSeconds(60));
        List<dev.profilesync.applier.store.StoredProfile> handed = new ArrayList<>();
        try (PipelinedWrite write = new PipelinedWrite(WRITERS, store, merger, Clock.systemUTC(),
                store.returnsRows() ? handed::addAll : null, (events, rows) -> { })) {
            write.write(List.of(change("e-1", ADA, 10, ProfileField.JOB_TITLE, "Engineer"),
                    change("e-2", ADA, 12, ProfileField.DEPARTMENT, "Research"),
                    change("e-3", BOB, 10, ProfileField.DEPARTMENT, "Sales")));
            write.commit();
        }
        Map<String, String> eventIds = new java.util.HashMap<>();
        try (java.sql.Connection connection = database(vendor).dataSource().getConnection();
                java.sql.Statement query = connection.createStatement();
                java.sql.ResultSet rs = query.executeQuery("SELECT user_id, present_eid, job_title_eid, "
                        + "department_eid, city_eid, mail_eid, mail_ts, last_event_id FROM profile")) {
            while (rs.next()) {
                String user = rs.getString("user_id").equals(ADA) ? "ada" : "bob";
                for (String column : List.of("present_eid", "job_title_eid", "department_eid", "city_eid", "mail_eid",
                        "last_event_id")) {
                    eventIds.put(user + "." + column, rs.getString(column));
                }
                assertThat(rs.getObject("mail_ts")).as("a register no event set").isNull();
            }
        }
        assertThat(eventIds).containsEntry("ada.job_title_eid", "e-1").containsEntry("ada.department_eid", "e-2")
                .containsEntry("ada.present_eid", "e-2").containsEntry("ada.last_event_id", "e-2")
                .containsEntry("ada.city_eid", null).containsEntry("ada.mail_eid", null)
                .containsEntry("bob.city_eid", "e-0").containsEntry("bob.department_eid", "e-3")
                .containsEntry("bob.last_event_id", "e-3").containsEntry("bob.mail_eid", null);
        if (store.returnsRows()) {
            ProfileQueries queries = database(vendor).queries();
            assertThat(handed).hasSize(2);
            for (var row : handed) {
                assertThat(row).isEqualTo(queries.find(row.userId()).orElseThrow());
            }
            var ada = queries.find(ADA).orElseThrow();
            assertThat(ada.versions().get(ProfileField.JOB_TITLE.jsonName()).eventId()).isEqualTo("e-1");
            assertThat(ada.versions().get(ProfileField.DEPARTMENT.jsonName()).eventId()).isEqualTo("e-2");
        }
    }

    private PipelinedWrite begin(ProfileWriter store) {
        return new PipelinedWrite(WRITERS, store, merger, Clock.systemUTC(), null, (events, rows) -> {
            committedEvents.addAll(events);
            committedRows.addAndGet(rows);
        });
    }

    private static TestDatabases database(String vendor) {
        return vendor.equals("h2") ? h2 : postgres;
    }

    private static UserChanged change(String id, String user, int second, ProfileField field, Object value) {
        return new UserChanged(id, user, "graph", T.plusSeconds(second), Map.of(field, value));
    }
}
