package dev.profilesync.applier.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.profilesync.applier.write.TestSchema;
import dev.profilesync.events.ProfileField;

/**
 * The PostgreSQL store's lookups are served by its indexes at a size where the planner would rather scan than guess:
 * SCIM's userName and externalId lookups, substring search on display names and prefix search on mail. Checked by
 * the indexes' scan counters, on the queries the read API and SCIM really send.
 */
class StoreIndexesIT {

    private static TestSchema schema;
    private static DataSource dataSource;
    private static JdbcTemplate jdbc;
    private static ProfileQueries queries;

    @BeforeAll
    static void seed() {
        schema = TestSchema.create();
        dataSource = new DriverManagerDataSource(schema.url(), "postgres", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/profile-applier/postgresql").load()
                .migrate();
        jdbc = new JdbcTemplate(dataSource);
        // 200,000 directory users (at fewer, scanning the table is cheaper than any index); every 100th also provisioned by SCIM (an externalId)
        jdbc.update("""
                INSERT INTO profile (user_id, present, present_ts, present_eid, display_name, mail, user_principal_name,
                    department, external_id, last_observed_ts, last_event_id, last_source, last_applied_at, last_delay_ms)
                SELECT 'u-' || i, TRUE, 1, 'e', 'Person ' || i, 'person' || i || '@contoso.com',
                    'Person' || i || '@contoso.onmicrosoft.com', 'Dept ' || (i % 6),
                    CASE WHEN i % 100 = 0 THEN 'ext-' || i END, 1, 'e', 'graph', now(), 0
                FROM generate_series(1, 200000) AS i""");
        jdbc.execute("ANALYZE profile");
        queries = new ProfileQueries(dataSource);
    }

    @AfterAll
    static void drop() throws Exception {
        schema.close();
    }

    @Test
    void scimFindsUserNamesThroughThePatternOrderIndex() {
        long before = scans("profile_user_principal_name_prefix_idx");
        List<?> found = queries.presentMatching(List.of(new ProfileQueries.Equals(ProfileField.USER_PRINCIPAL_NAME,
                "PERSON12345@contoso.onmicrosoft.com", true)), 0, 2);
        assertThat(found).hasSize(1);
        awaitScans("profile_user_principal_name_prefix_idx", before);
    }

    @Test
    void scimFindsExternalIdsThroughAnIndexOfProvisionedUsersOnly() {
        long before = scans("profile_external_id_idx");
        assertThat(queries.presentMatching(List.of(new ProfileQueries.Equals(ProfileField.EXTERNAL_ID, "ext-25000",
                false)), 0, 2)).hasSize(1);
        awaitScans("profile_external_id_idx", before);
        // directory users (no externalId) have no entries in it: about 2,000 of 200,000 (reltuples is an estimate)
        assertThat(jdbc.queryForObject("SELECT reltuples FROM pg_class WHERE relname = 'profile_external_id_idx'"
                + " AND relnamespace = current_schema()::regnamespace", Double.class)).isBetween(1_000.0, 4_000.0);
    }

    @Test
    void searchUsesTheTrigramAndPrefixIndexes() {
        long trigram = scans("profile_display_name_trgm_idx");
        long mail = scans("profile_mail_prefix_idx");
        assertThat(queries.search("son 2345", null, null, 0, 20)).isNotEmpty();
        awaitScans("profile_display_name_trgm_idx", trigram);
        awaitScans("profile_mail_prefix_idx", mail);
    }

    private static long scans(String index) {
        Long scans = jdbc.queryForObject("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = ?"
                + " AND schemaname = current_schema()", Long.class, index);
        return scans == null ? 0 : scans;
    }

    /** Index statistics reach the counters when the querying session reports them (at the latest when it ends). */
    private static void awaitScans(String index, long before) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scans(index)).as(index)
                .isGreaterThan(before));
    }
}
