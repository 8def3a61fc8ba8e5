package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.events.ProfileField;

/**
 * On PostgreSQL the applier's transactions set the trigram index's pending list limit themselves: long while they
 * insert new profiles, short while they update, and only for the transaction (the index has no setting of its own,
 * and a pooled connection goes back with the server's).
 */
class TrigramPendingListIT {

    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static TestDatabases postgres;
    /** One connection for everything, as a pool hands the same one back: what a transaction sets must not stay. */
    private static SingleConnectionDataSource connection;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        connection = new SingleConnectionDataSource(((DriverManagerDataSource) postgres.dataSource()).getUrl(),
                "postgres", "", true);
        jdbc = new JdbcTemplate(connection);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (connection != null) {
            connection.destroy();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void loadsGetALongListUpdatesAShortOneAndNeitherOutlivesItsTransaction() {
        assertThat(jdbc.queryForObject("SELECT COALESCE(array_to_string(reloptions, ','), '') FROM pg_class"
                + " WHERE relname = 'profile_display_name_trgm_idx' AND relnamespace = current_schema()::regnamespace",
                String.class)).doesNotContain("gin_pending_list_limit");
        ProfileWriter store = new ProfileWriter(connection,
                new TransactionTemplate(new DataSourceTransactionManager(connection)));
        String serverDefault = jdbc.queryForObject("SHOW gin_pending_list_limit", String.class);

        List<String> seen = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            seen.add(writeAndShow(store, rows(batch * 1_000, 1_000, 10), false));
        }
        assertThat(seen.get(0)).as("a store that was only updated so far").isEqualTo("256kB");
        assertThat(seen.get(seen.size() - 1)).as("after batches of new profiles").isEqualTo("4MB");

        seen.clear();
        for (int round = 0; round < 6; round++) {
            seen.add(writeAndShow(store, rows(0, 1_000, 20 + round), true));
        }
        assertThat(seen.get(0)).as("right after the load").isEqualTo("4MB");
        assertThat(seen.get(seen.size() - 1)).as("after batches of updates").isEqualTo("256kB");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM profile WHERE display_name LIKE 'Person %, take 25'",
                Long.class)).isEqualTo(1_000);
        assertThat(jdbc.queryForObject("SHOW gin_pending_list_limit", String.class)).isEqualTo(serverDefault);
    }

    /** Writes the rows in a transaction and returns the limit the transaction ran with (the statement sets it). */
    private static String writeAndShow(ProfileWriter store, List<PendingProfile> rows, boolean withRows) {
        return store.inTransaction(() -> {
            List<Object> written = new ArrayList<>();
            store.upsert(rows, T.plusSeconds(60), withRows ? written::add : null);
            if (withRows) {
                assertThat(written).hasSize(rows.size());
            }
            return jdbc.queryForObject("SHOW gin_pending_list_limit", String.class);
        });
    }

    private static List<PendingProfile> rows(int from, int count, int take) {
        List<PendingProfile> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Version version = Version.of(T.plusSeconds(take), "e-" + i + "-" + take);
            PendingProfile row = new PendingProfile(String.format("00000000-0000-4000-8000-%012d", i));
            row.markPresent(true, version);
            row.write(ProfileField.DISPLAY_NAME, "Person " + i + ", take " + take, version);
            row.observed(version, "graph");
            rows.add(row);
        }
        return rows;
    }
}
