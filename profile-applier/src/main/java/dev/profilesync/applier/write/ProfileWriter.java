package dev.profilesync.applier.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.applier.store.ProfileRows;
import dev.profilesync.applier.store.ProfileTable;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ProfileField;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes to the {@code profile} table: convergent upserts (a register is replaced only by a higher version), one
 * statement per part of a poll on PostgreSQL, a {@code MERGE} batch on H2, inside the poll's one transaction. It never
 * queries profiles (the read side has its own queries); on PostgreSQL it can hand back the rows its statements left.
 */
@Repository
public class ProfileWriter {

    private static final ProfileField[] FIELDS = ProfileField.values();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ProfileSql.Dialect dialect;
    private final String upsert;
    /**
     * PostgreSQL's statements, built once: index {@code (one row ? 2 : 0) + (rows handed back ? 1 : 0)}; each returns
     * whether it inserted, and the rows handed back when asked. Null on H2.
     */
    private final String[] postgresUpserts;
    private final TrigramPendingList pendingList = new TrigramPendingList();

    public ProfileWriter(DataSource dataSource, TransactionTemplate transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.dialect = dialectOf(dataSource);
        this.upsert = ProfileSql.upsert(dialect);
        if (dialect == ProfileSql.Dialect.POSTGRESQL) {
            // a row the statement inserted has no xmax; one it updated carries the statement's own transaction
            String counting = " RETURNING (xmax = 0) AS inserted_now";
            String returning = " RETURNING " + ProfileSql.returnedColumns() + ", (xmax = 0) AS inserted_now";
            String single = ProfileSql.postgresSingleRowUpsert();
            this.postgresUpserts = new String[] {upsert + counting, upsert + returning, single + counting,
                single + returning};
        } else {
            this.postgresUpserts = null;
        }
    }

    /** Writes every pending profile in one transaction; returns when it has committed. */
    public void apply(Collection<PendingProfile> pending, Instant appliedAt) {
        if (pending.isEmpty()) {
            return;
        }
        List<PendingProfile> rows = new ArrayList<>(pending);
        inTransaction(() -> {
            upsert(rows, appliedAt);
            return rows.size();
        });
    }

    /** Runs {@code work} in one store transaction on the calling thread. */
    <T> T inTransaction(java.util.function.Supplier<T> work) {
        return transactions.execute(status -> {
            if (dialect == ProfileSql.Dialect.POSTGRESQL) {
                // once per transaction, for all its statements; see TrigramPendingList and V7
                jdbc.queryForObject("SELECT set_config('gin_pending_list_limit', ?, true)", String.class,
                        pendingList.limit());
            }
            return work.get();
        });
    }

    /** Writes the rows (one per user) in the current transaction. */
    void upsert(List<PendingProfile> rows, Instant appliedAt) {
        upsert(rows, appliedAt, null);
    }

    /** Whether {@link #upsert(List, Instant, java.util.function.Consumer)} can hand back the rows as written. */
    boolean returnsRows() {
        return dialect == ProfileSql.Dialect.POSTGRESQL;
    }

    /**
     * Writes the rows (one per user) in the current transaction. When {@code written} is given (PostgreSQL only, see
     * {@link #returnsRows()}), each row as the statement left it ({@code RETURNING}: the stored row after the
     * convergent update, whether or not the update changed it) is handed to it, so nobody has to read it back.
     */
    void upsert(List<PendingProfile> rows, Instant appliedAt, java.util.function.Consumer<StoredProfile> written) {
        if (rows.isEmpty()) {
            return;
        }
        if (written != null && !returnsRows()) {
            throw new IllegalStateException("only PostgreSQL hands back the rows it wrote");
        }
        if (dialect == ProfileSql.Dialect.POSTGRESQL) {
            boolean single = rows.size() == 1;
            ProfileRows mapper = written == null ? null : new ProfileRows();
            int[] inserted = {0};
            jdbc.query(postgresUpserts[(single ? 2 : 0) + (written == null ? 0 : 1)], statement -> {
                        if (single) {
                            bind(statement, rows.get(0), appliedAt);
                        } else {
                            bindColumns(statement, rows, appliedAt);
                        }
                    }, rs -> {
                        if (rs.getBoolean("inserted_now")) {
                            inserted[0]++;
                        }
                        if (written != null) {
                            written.accept(mapper.mapRow(rs, 0));
                        }
                    });
            pendingList.wrote(inserted[0], rows.size());
        } else {
            jdbc.batchUpdate(upsert, rows, rows.size(), (statement, profile) -> bind(statement, profile, appliedAt));
        }
    }

    /** PostgreSQL: one array per column, in the order of {@link ProfileSql#columns()}. */
    private static void bindColumns(PreparedStatement statement, List<PendingProfile> rows, Instant appliedAt)
            throws SQLException {
        int n = rows.size();
        java.sql.Connection connection = statement.getConnection();
        String[] ids = new String[n];
        String[] lastEventIds = new String[n];
        String[] lastSources = new String[n];
        Long[] lastObserved = new Long[n];
        Long[] delays = new Long[n];
        Timestamp[] applied = new Timestamp[n];
        Timestamp appliedStamp = Timestamp.from(appliedAt);
        int registers = FIELDS.length + 1;
        Object[][] values = new Object[registers][];
        Long[][] stamps = new Long[registers][n];
        String[][] eventIds = new String[registers][n];
        values[0] = new Boolean[n];
        for (int r = 1; r < registers; r++) {
            values[r] = new String[n];
        }
        for (int row = 0; row < n; row++) {
            PendingProfile profile = rows.get(row);
            ids[row] = profile.userId();
            Version latest = profile.latest();
            setCell(values, stamps, eventIds, 0, row, profile.presence(), latest.eventId());
            for (ProfileField field : FIELDS) {
                setCell(values, stamps, eventIds, field.ordinal() + 1, row, encoded(profile.field(field)),
                        latest.eventId());
            }
            lastObserved[row] = latest.observedMicros();
            lastEventIds[row] = latest.eventId();
            lastSources[row] = profile.latestSource();
            applied[row] = appliedStamp;
            delays[row] = Math.max(0, appliedAt.toEpochMilli() - latest.observedAt().toEpochMilli());
        }
        // Java arrays of String, Long and Boolean go to pgjdbc's array encoders (PostgreSQL's binary array format);
        // against createArrayOf's literals neither this side's CPU nor the server's moved (bench/results/upsert.md),
        // it is just the plainer binding. createArrayOf stays for the one timestamptz array.
        int i = 1;
        statement.setObject(i++, ids);
        for (int r = 0; r < registers; r++) {
            statement.setObject(i++, values[r]);
            statement.setObject(i++, stamps[r]);
            statement.setObject(i++, eventIds[r]);
        }
        statement.setObject(i++, lastObserved);
        statement.setObject(i++, lastEventIds);
        statement.setObject(i++, lastSources);
        statement.setArray(i++, connection.createArrayOf("timestamptz", applied));
        statement.setObject(i, delays);
    }

    /** A register's cell; its event id stays NULL when it is the row's last one (the statement fills it in). */
    private static void setCell(Object[][] values, Long[][] stamps, String[][] eventIds, int register, int row,
            Register cell, String lastEventId) {
        if (cell != null) {
            values[register][row] = cell.value();
            stamps[register][row] = cell.version().observedMicros();
            String eventId = cell.version().eventId();
            eventIds[register][row] = eventId.equals(lastEventId) ? null : eventId;
        }
    }

    private static void bind(PreparedStatement statement, PendingProfile profile, Instant appliedAt)
            throws SQLException {
        int i = 1;
        statement.setString(i++, profile.userId());
        i = bindRegister(statement, i, profile.presence(), Types.BOOLEAN);
        for (ProfileField field : FIELDS) {
            i = bindRegister(statement, i, encoded(profile.field(field)), Types.VARCHAR);
        }
        Version latest = profile.latest();
        statement.setLong(i++, latest.observedMicros());
        statement.setString(i++, latest.eventId());
        statement.setString(i++, profile.latestSource());
        statement.setTimestamp(i++, Timestamp.from(appliedAt));
        statement.setLong(i, Math.max(0, (appliedAt.toEpochMilli() - latest.observedAt().toEpochMilli())));
    }

    private static int bindRegister(PreparedStatement statement, int i, Register register, int valueType)
            throws SQLException {
        if (register == null) {
            statement.setNull(i, valueType);
            statement.setNull(i + 1, Types.BIGINT);
            statement.setNull(i + 2, Types.VARCHAR);
        } else {
            if (register.value() == null) {
                statement.setNull(i, valueType);
            } else {
                statement.setObject(i, register.value(), valueType);
            }
            statement.setLong(i + 1, register.version().observedMicros());
            statement.setString(i + 2, register.version().eventId());
        }
        return i + 3;
    }

    private static Register encoded(Register register) {
        if (register == null || register.value() == null || register.value() instanceof String) {
            return register;
        }
        String text = register.value() instanceof List<?> list ? JSON.writeValueAsString(list)
                : register.value().toString();
        return new Register(text, register.version());
    }

    private static ProfileSql.Dialect dialectOf(DataSource dataSource) {
        return ProfileTable.isPostgres(dataSource) ? ProfileSql.Dialect.POSTGRESQL : ProfileSql.Dialect.H2;
    }

}
