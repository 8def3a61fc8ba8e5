package dev.profilesync.applier.write;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import dev.profilesync.applier.store.ProfileTable;

/**
 * The convergent upsert in each supported dialect. Every register column is replaced only when the incoming version
 * (time, event id) is higher than the stored one; otherwise the stored value stays. PostgreSQL uses
 * {@code INSERT ... ON CONFLICT}, safe against concurrent inserts of the same user; H2 uses {@code MERGE}.
 */
final class ProfileSql {

    enum Dialect {
        POSTGRESQL,
        H2
    }

    static final List<String> REGISTERS = ProfileTable.REGISTERS;

    private ProfileSql() {
    }

    /** Parameter order: user_id, then per register value, ts, eid, then the five {@code last_*} columns. */
    static List<String> columns() {
        List<String> columns = new ArrayList<>();
        columns.add("user_id");
        for (String register : REGISTERS) {
            columns.add(register);
            columns.add(register + "_ts");
            columns.add(register + "_eid");
        }
        columns.addAll(List.of("last_observed_ts", "last_event_id", "last_source", "last_applied_at", "last_delay_ms"));
        return columns;
    }

    static String upsert(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? postgresUpsert() : h2Merge();
    }

    /**
     * PostgreSQL: the whole batch as one statement with one array parameter per column, unnested into rows. One
     * parameter per column rather than per cell keeps both the driver and the server from handling tens of thousands
     * of bind parameters per poll.
     * <p>
     * The arrays are unnested in the select list, where PostgreSQL steps through them together row by row (ProjectSet),
     * not with {@code FROM unnest(a, b, ...)}, which materialises each array into a tuple store of its own first and
     * then reads them back: with some 85 arrays that cost the server about a sixth of its CPU for new rows
     * ({@code bench/run-upsert}). Every array has one element per row, so none is padded.
     * <p>
     * A register's event id is sent as NULL when it is the row's {@code last_event_id} (a user changed by one event in
     * the poll: every register it set), and the statement puts that id back: a NULL is four bytes in the binary array
     * where an event id is some forty, and most rows carry one event.
     */
    private static String postgresUpsert() {
        List<String> columns = columns();
        StringJoiner arrays = new StringJoiner(", ");
        StringJoiner rows = new StringJoiner(", ");
        for (String column : columns) {
            arrays.add("unnest(?::" + postgresType(column) + "[]) AS " + column);
            if (column.endsWith("_eid")) {
                String ts = column.substring(0, column.length() - "_eid".length()) + "_ts";
                rows.add("CASE WHEN x." + ts + " IS NULL THEN NULL ELSE COALESCE(x." + column
                        + ", x.last_event_id) END");
            } else {
                rows.add("x." + column);
            }
        }
        return "INSERT INTO profile AS p (" + String.join(", ", columns) + ") SELECT " + rows + " FROM (SELECT "
                + arrays + ") AS x ON CONFLICT (user_id) DO UPDATE SET " + assignments("excluded");
    }

    /**
     * What the upserts hand back for each row ({@link dev.profilesync.applier.store.ProfileRows} reads it): every
     * column the upsert writes, a register's event id as NULL where it is the row's {@code last_event_id}, so that the
     * id is not sent and decoded once for each register.
     */
    static String returnedColumns() {
        StringJoiner returned = new StringJoiner(", ");
        for (String column : columns()) {
            returned.add(column.endsWith("_eid") ? "NULLIF(" + column + ", last_event_id) AS " + column : column);
        }
        return returned.toString();
    }

    /**
     * PostgreSQL, one row: plain bind parameters. For a single row this is cheaper than building some 80 one-element
     * arrays; a poll that merges to one user (a quiet moment) takes this path.
     */
    static String postgresSingleRowUpsert() {
        List<String> columns = columns();
        StringJoiner params = new StringJoiner(", ");
        columns.forEach(c -> params.add("?"));
        return "INSERT INTO profile AS p (" + String.join(", ", columns) + ") VALUES (" + params
                + ") ON CONFLICT (user_id) DO UPDATE SET " + assignments("excluded");
    }

    /** The PostgreSQL element type of a column's parameter array. */
    static String postgresType(String column) {
        return type(column, "int8", "bool", "timestamptz", "text");
    }

    /** The SQL type of a column's parameter, spelt as the dialect wants it. */
    private static String type(String column, String bigint, String bool, String timestamp, String text) {
        if (column.endsWith("_ts") || column.equals("last_delay_ms")) {
            return bigint;
        }
        if (column.equals("present")) {
            return bool;
        }
        if (column.equals("last_applied_at")) {
            return timestamp;
        }
        return text;
    }

    private static String h2Merge() {
        List<String> columns = columns();
        StringJoiner params = new StringJoiner(", ");
        for (String column : columns) {
            params.add("CAST(? AS " + h2Type(column) + ")");
        }
        StringJoiner inserted = new StringJoiner(", ");
        columns.forEach(c -> inserted.add("n." + c));
        return "MERGE INTO profile p USING (VALUES (" + params + ")) AS n(" + String.join(", ", columns)
                + ") ON p.user_id = n.user_id WHEN MATCHED THEN UPDATE SET " + assignments("n")
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ") VALUES (" + inserted + ")";
    }

    private static String assignments(String incoming) {
        StringJoiner set = new StringJoiner(", ");
        for (String register : REGISTERS) {
            String newer = newer(incoming, register + "_ts", register + "_eid");
            for (String column : List.of(register, register + "_ts", register + "_eid")) {
                set.add(column + " = CASE WHEN " + newer + " THEN " + incoming + "." + column + " ELSE p." + column
                        + " END");
            }
        }
        String latest = newer(incoming, "last_observed_ts", "last_event_id");
        for (String column : List.of("last_observed_ts", "last_event_id", "last_source", "last_applied_at",
                "last_delay_ms")) {
            set.add(column + " = CASE WHEN " + latest + " THEN " + incoming + "." + column + " ELSE p." + column
                    + " END");
        }
        return set.toString();
    }

    private static String newer(String incoming, String ts, String eid) {
        String n = incoming + ".";
        return "(" + n + ts + " IS NOT NULL AND (p." + ts + " IS NULL OR " + n + ts + " > p." + ts + " OR (" + n + ts
                + " = p." + ts + " AND " + n + eid + " > p." + eid + ")))";
    }

    private static String h2Type(String column) {
        return type(column, "BIGINT", "BOOLEAN", "TIMESTAMP WITH TIME ZONE", "VARCHAR");
    }
}
