package dev.profilesync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh PostgreSQL schema per run, dropped afterwards, on the server the tests use. */
final class BenchDatabase implements AutoCloseable {

    static final String SERVER = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:5432/test");

    private final String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    BenchDatabase() throws SQLException {
        execute("CREATE SCHEMA " + schema);
        Quiet.settle();
    }

    String url() {
        return SERVER + "?currentSchema=" + schema + "&user=postgres&reWriteBatchedInserts=true";
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /**
     * The server settings that decide how a large store takes writes, for a bench's conditions: whether dead rows are
     * vacuumed in the background, the buffer cache, the WAL volume between checkpoints, and WAL compression.
     */
    static String serverSettings() throws SQLException {
        StringBuilder settings = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String name : new String[] {"autovacuum", "shared_buffers", "max_wal_size", "wal_compression"}) {
                try (var rs = statement.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.append(settings.isEmpty() ? "" : ", ").append(name).append(' ').append(rs.getString(1));
                }
            }
        }
        return settings.toString();
    }

    static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
