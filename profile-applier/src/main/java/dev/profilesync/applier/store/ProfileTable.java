package dev.profilesync.applier.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.profilesync.events.ProfileField;

/**
 * The {@code profile} table as both sides see it (the Flyway migrations create it): one row per user, every field a
 * last-writer-wins register of three columns ({@code <name>}, {@code <name>_ts} in epoch microseconds,
 * {@code <name>_eid}), the presence register {@code present}, and the {@code last_*} columns of the newest applied
 * change. The write path writes it, the read side reads it; neither knows the other.
 */
public final class ProfileTable {

    private static final java.util.Map<ProfileField, String> COLUMNS = columns();

    /** Register columns: each has its version columns {@code <name>_ts} and {@code <name>_eid} beside it. */
    public static final List<String> REGISTERS = registers();

    private ProfileTable() {
    }

    /** The value column of a contract field: its JSON name in snake case. */
    public static String column(ProfileField field) {
        return COLUMNS.get(field);
    }

    /**
     * Whether the store is PostgreSQL (else H2): the write path picks its SQL by it, the read side its queries, the
     * rebuild its migrations.
     */
    public static boolean isPostgres(javax.sql.DataSource dataSource) {
        try {
            String product = org.springframework.jdbc.support.JdbcUtils.extractDatabaseMetaData(dataSource,
                    java.sql.DatabaseMetaData::getDatabaseProductName);
            return product.toLowerCase(Locale.ROOT).contains("postgres");
        } catch (org.springframework.jdbc.support.MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the profile store is", e);
        }
    }

    /** The JSON name of a field's value column (the inverse of {@link #column}). */
    public static String jsonName(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** A version time column's value, epoch microseconds, as an instant. */
    public static Instant instantOfMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** An instant as a version time column stores it. */
    public static long microsOf(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static java.util.Map<ProfileField, String> columns() {
        java.util.Map<ProfileField, String> columns = new java.util.EnumMap<>(ProfileField.class);
        for (ProfileField field : ProfileField.values()) {
            columns.put(field, field.jsonName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        return java.util.Collections.unmodifiableMap(columns);
    }

    private static List<String> registers() {
        List<String> registers = new ArrayList<>();
        registers.add("present");
        for (ProfileField field : ProfileField.values()) {
            registers.add(column(field));
        }
        return List.copyOf(registers);
    }
}
