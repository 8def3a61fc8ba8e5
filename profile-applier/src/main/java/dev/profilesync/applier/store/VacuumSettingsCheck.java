package dev.profilesync.applier.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Warns at start-up when PostgreSQL will not vacuum the {@code profile} table in the background. Every update leaves a
 * dead row version; without autovacuum they pile up (811,000 after a million updates of a million-row store in
 * {@code bench/results/reads.md}), pages stay full, fewer updates can stay on their page, and the store's update rate
 * falls as it grows. The check only reads settings; it never changes them.
 */
@Component
class VacuumSettingsCheck {

    private static final Logger log = LoggerFactory.getLogger(VacuumSettingsCheck.class);

    private final DataSource dataSource;

    VacuumSettingsCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    void check() {
        // a check that only warns never stops the start: a store it cannot ask is logged, not thrown
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!ProfileTable.isPostgres(dataSource)) {
                return;
            }
            String autovacuum = show(statement, "autovacuum");
            String trackCounts = show(statement, "track_counts");
            String tableOptions = null;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = to_regclass('profile')")) {
                if (rs.next()) {
                    tableOptions = rs.getString(1);
                }
            }
            warnings(autovacuum, trackCounts, tableOptions).forEach(log::warn);
        } catch (SQLException | RuntimeException e) {
            log.info("Could not read PostgreSQL's vacuum settings: {}", e.toString());
        }
    }

    /**
     * What is wrong with these settings for a store that takes updates, one sentence each.
     *
     * @param autovacuum the server's {@code autovacuum}
     * @param trackCounts the server's {@code track_counts} (autovacuum needs it to know what to vacuum)
     * @param tableOptions the {@code profile} table's storage parameters, comma-separated, or null
     */
    static List<String> warnings(String autovacuum, String trackCounts, String tableOptions) {
        List<String> warnings = new ArrayList<>();
        String consequence = ": dead row versions of updated profiles are not vacuumed in the background and the"
                + " store's update rate falls as they pile up; see \"PostgreSQL for a large store\" in the README";
        if ("off".equalsIgnoreCase(autovacuum)) {
            warnings.add("PostgreSQL runs with autovacuum = off" + consequence);
        } else if ("off".equalsIgnoreCase(trackCounts)) {
            warnings.add("PostgreSQL runs with track_counts = off, so autovacuum cannot tell what to vacuum"
                    + consequence);
        }
        if (tableOptions != null) {
            for (String option : tableOptions.split(",")) {
                if (option.trim().equalsIgnoreCase("autovacuum_enabled=false")
                        || option.trim().equalsIgnoreCase("autovacuum_enabled=off")) {
                    warnings.add("The profile table has autovacuum_enabled = false" + consequence);
                }
            }
        }
        return warnings;
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
