package dev.profilesync.applier.profile;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Migrated profile stores for tests: a fresh schema in the local PostgreSQL server (dropped by {@link #close()}) or
 * a private in-memory H2 database. Without PostgreSQL, tests fail in CI and are skipped elsewhere.
 */
final class TestDatabases implements AutoCloseable {

    static final String POSTGRES = System.getProperty("profile-sync.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test");

    private final DataSource dataSource;
    private final String schema;

    private TestDatabases(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    static TestDatabases postgres() {
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL must be running on " + POSTGRES + " in CI", e);
            }
            org.junit.jupiter.api.Assumptions.abort("no PostgreSQL at " + POSTGRES);
        }
        DataSource dataSource = new DriverManagerDataSource(POSTGRES + "?currentSchema=" + schema
                + "&reWriteBatchedInserts=true", "postgres", "");
        migrate(dataSource, "postgresql");
        return new TestDatabases(dataSource, schema);
    }

    static TestDatabases h2() {
        DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        migrate(dataSource, "h2");
        return new TestDatabases(dataSource, null);
    }

    private static void migrate(DataSource dataSource, String vendor) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/profile-applier/" + vendor).load()
                .migrate();
    }

    DataSource dataSource() {
        return dataSource;
    }

    ProfileStore store() {
        return new ProfileStore(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    void truncate() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM profile");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } else {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }
}
