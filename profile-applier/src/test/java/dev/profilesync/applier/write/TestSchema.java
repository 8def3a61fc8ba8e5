package dev.profilesync.applier.write;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema in the local PostgreSQL server ({@code 127.0.0.1:5432}, database {@code test}), dropped by
 * {@link #close()}. Without the server, a test fails in CI ({@code CI=true}) and is skipped elsewhere.
 */
public final class TestSchema implements AutoCloseable {

    public static final String SERVER = System.getProperty("profile-sync.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = "postgres";

    private final String name;

    private TestSchema(String name) {
        this.name = name;
    }

    public static TestSchema create() {
        String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL must be running on " + SERVER + " in CI", e);
            }
            Assumptions.abort("no PostgreSQL at " + SERVER + ": " + e.getMessage());
        }
        return new TestSchema(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + "?currentSchema=" + name + "&reWriteBatchedInserts=true";
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
