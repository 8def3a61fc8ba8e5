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
     */
    private static String postgresUpsert() {
        List<String> columns = columns();
        StringJoiner arrays = new StringJoiner(", ");
        for (String column : columns) {
            arrays.add("?::" + postgresType(column) + "[]");
        }
        return "INSERT INTO profile AS p (" + String.join(", ", columns) + ") SELECT * FROM unnest(" + arrays
                + ") ON CONFLICT (user_id) DO UPDATE SET " + assignments("excluded");
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
