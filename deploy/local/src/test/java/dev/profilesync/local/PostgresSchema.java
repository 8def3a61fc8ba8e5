package dev.profilesync.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema in the local PostgreSQL server (127.0.0.1:5432, database {@code test}) for one test class, dropped
 * afterwards. Outside CI a missing server skips the test; in CI ({@code CI=true}) it fails it.
 */
final class PostgresSchema implements AutoCloseable {

    static final String SERVER = System.getProperty("profile-sync.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = "postgres";

    private final String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static PostgresSchema create() {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "")) {
            PostgresSchema schema = new PostgresSchema();
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema.name);
            }
            return schema;
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL must be running on " + SERVER + " in CI", e);
            }
            Assumptions.abort("no PostgreSQL at " + SERVER + ": " + e.getMessage());
            return null;
        }
    }

    /** JDBC URL of the schema, with batched inserts rewritten as in production. */
    String url() {
        return SERVER + "?currentSchema=" + name + "&user=" + USER + "&reWriteBatchedInserts=true";
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
