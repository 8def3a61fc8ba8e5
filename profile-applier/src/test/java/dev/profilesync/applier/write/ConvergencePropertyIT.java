package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The convergence rule, proved on the real PostgreSQL store: for random logs of changes and deletions over a few users
 * and several sources, any permutation of the log, with any records duplicated, split into any batches, leaves the
 * store in exactly the same state.
 */
class ConvergencePropertyIT {

    private static final List<String> USERS = List.of("00000000-0000-4000-8000-000000000001",
            "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003");
    private static final List<String> SOURCES = List.of("graph", "hr-system", "self-service", "photo-sync", "rogue");
    private static final List<ProfileField> FIELDS = List.of(ProfileField.JOB_TITLE, ProfileField.DEPARTMENT,
            ProfileField.ABOUT_ME, ProfileField.SKILLS, ProfileField.PHOTO_ETAG, ProfileField.ACCOUNT_ENABLED);
    private static final Instant BASE = Instant.parse("2026-11-25T08:00:00Z");

    private static TestDatabases database;
    private static ProfileWriter store;
    private static BatchMerger merger;

    @BeforeContainer
    static void start() {
        database = TestDatabases.postgres();
        store = database.store();
        merger = new BatchMerger(new FieldOwnership(Map.of(FieldOwner.DIRECTORY, List.of("graph", "hr-system"),
                FieldOwner.SELF_SERVICE, List.of("self-service"), FieldOwner.PHOTO, List.of("photo-sync"))),
                BatchMerger.Refusals.UNCOUNTED);
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    @Property(tries = 150)
    void everyPermutationAndDuplicationOfALogConvergesToTheSameStore(@ForAll("logs") List<UserEvent> log,
            @ForAll long shuffleSeed) {
        Map<String, Map<String, Object>> inOrder = applyInBatches(log, new Random(shuffleSeed ^ 1));

        Random random = new Random(shuffleSeed);
        List<UserEvent> replayed = new ArrayList<>(log);
        for (UserEvent event : log) {
            if (random.nextInt(3) == 0) {
                replayed.add(event);
            }
        }
        Collections.shuffle(replayed, random);
        Map<String, Map<String, Object>> shuffled = applyInBatches(replayed, random);

        assertThat(shuffled).isEqualTo(inOrder);
    }

    private Map<String, Map<String, Object>> applyInBatches(List<UserEvent> events, Random random) {
        database.truncate();
        int from = 0;
        while (from < events.size()) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(6));
            store.apply(merger.merge(events.subList(from, to)), Instant.now());
            from = to;
        }
        return snapshot();
    }

    /** Every column of every row, except when it was applied, which is wall-clock time. */
    private static Map<String, Map<String, Object>> snapshot() {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM profile")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    String column = meta.getColumnName(c).toLowerCase();
                    if (!column.equals("last_applied_at") && !column.equals("last_delay_ms")) {
                        row.put(column, rs.getObject(c));
                    }
                }
                rows.put(rs.getString("user_id"), row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    @Provide
    Arbitrary<List<UserEvent>> logs() {
        return event().list().ofMinSize(1).ofMaxSize(30).map(events -> {
            List<UserEvent> unique = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                unique.add(withId(events.get(i), "e" + i));
            }
            return unique;
        });
    }

    private Arbitrary<UserEvent> event() {
        Arbitrary<String> user = Arbitraries.of(USERS);
        Arbitrary<String> source = Arbitraries.of(SOURCES);
        // few distinct times, so that ties broken by event id are common
        Arbitrary<Instant> time = Arbitraries.integers().between(0, 5).map(BASE::plusSeconds);
        Arbitrary<Map<ProfileField, Object>> fields = Arbitraries.of(FIELDS).set().ofMinSize(1).ofMaxSize(3)
                .flatMap(chosen -> Arbitraries.integers().between(0, 3).list().ofSize(chosen.size()).map(values -> {
                    Map<ProfileField, Object> map = new EnumMap<>(ProfileField.class);
                    int i = 0;
                    for (ProfileField field : chosen) {
                        map.put(field, valueOf(field, values.get(i++)));
                    }
                    return map;
                }));
        Arbitrary<Boolean> deletion = Arbitraries.integers().between(0, 5).map(n -> n == 0);
        return Combinators.combine(user, source, time, fields, deletion).as((u, s, t, f, d) -> d
                ? new UserDeleted("x", u, s, t)
                : new UserChanged("x", u, s, t, f));
    }

    private static Object valueOf(ProfileField field, int n) {
        if (n == 0) {
            return null;
        }
        return switch (field.kind()) {
            case STRING -> field.jsonName() + "-" + n;
            case BOOLEAN -> n % 2 == 0;
            case STRING_LIST -> List.of("s" + n, "t" + n);
        };
    }

    private static UserEvent withId(UserEvent event, String id) {
        if (event instanceof UserChanged changed) {
            return new UserChanged(id, changed.userId(), changed.source(), changed.observedAt(), changed.fields());
        }
        return new UserDeleted(id, event.userId(), event.source(), event.observedAt());
    }
}
