package dev.profilesync.applier.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.applier.read.ProfileQueries;

/**
 * Migrated profile stores for tests: a fresh schema in the local PostgreSQL server (dropped by {@link #close()}) or
 * a private in-memory H2 database. Without PostgreSQL, tests fail in CI and are skipped elsewhere.
 */
final class TestDatabases implements AutoCloseable {

    private final DataSource dataSource;
    private final TestSchema schema;

    private TestDatabases(DataSource dataSource, TestSchema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    static TestDatabases postgres() {
        TestSchema schema = TestSchema.create();
        DataSource dataSource = new DriverManagerDataSource(schema.url(), "postgres", "");
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

    ProfileWriter store() {
        return new ProfileWriter(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** The read side's queries, to see what the write path stored. */
    ProfileQueries queries() {
        return new ProfileQueries(dataSource);
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
            schema.close();
        } else {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }
}
