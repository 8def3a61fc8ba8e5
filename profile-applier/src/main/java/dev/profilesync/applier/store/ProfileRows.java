package dev.profilesync.applier.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.RowMapper;

import dev.profilesync.events.ProfileField;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads rows of the {@code profile} table ({@code SELECT *} or an upsert's {@code RETURNING}) as
 * {@link StoredProfile}s. One instance per result set: it looks the columns up by name once, on the first row, and by
 * position after that, since a poll's snapshots read thousands of rows of some eighty columns each.
 */
public final class ProfileRows implements RowMapper<StoredProfile> {

    private static final ProfileField[] FIELDS = ProfileField.values();
    private static final List<String> REGISTERS = ProfileTable.REGISTERS;
    private static final String[] VERSION_NAMES = REGISTERS.stream()
            .map(r -> r.equals("present") ? "present" : ProfileTable.jsonName(r)).toArray(String[]::new);
    /** Column names, spelt once: a one-row result (a profile read) looks them all up. */
    private static final String[] FIELD_COLUMNS = java.util.Arrays.stream(FIELDS).map(ProfileTable::column)
            .toArray(String[]::new);
    private static final String[] TS_COLUMNS = REGISTERS.stream().map(r -> r + "_ts").toArray(String[]::new);
    private static final String[] EID_COLUMNS = REGISTERS.stream().map(r -> r + "_eid").toArray(String[]::new);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    /**
     * The columns a profile is shown with (its id, presence, fields and {@code last_*}, no register versions), in the
     * order {@link #view()} reads them by position: about a third of the table's columns, so a read fetches, sends and
     * decodes that much less.
     */
    public static final String VIEW_COLUMNS = "user_id, present, " + String.join(", ", FIELD_COLUMNS)
            + ", last_observed_ts, last_event_id, last_source, last_applied_at, last_delay_ms";

    private int[] fieldColumns;
    private int[] tsColumns;
    private int[] eidColumns;
    private int userId;
    private int present;
    private int lastObserved;
    private int lastEventId;
    private int lastSource;
    private int lastApplied;
    private int lastDelay;

    /**
     * Reads whole rows ({@code SELECT *} or an upsert's {@code RETURNING}), versions included. A register's event id
     * that is NULL while its time is not is the row's {@code last_event_id}: how the upserts hand it back.
     */
    public ProfileRows() {
    }

    /** Reads rows of {@link #VIEW_COLUMNS} by position; their profiles have no versions. */
    public static ProfileRows view() {
        ProfileRows rows = new ProfileRows();
        rows.userId = 1;
        rows.present = 2;
        rows.fieldColumns = new int[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            rows.fieldColumns[i] = 3 + i;
        }
        rows.lastObserved = 3 + FIELDS.length;
        rows.lastEventId = rows.lastObserved + 1;
        rows.lastSource = rows.lastObserved + 2;
        rows.lastApplied = rows.lastObserved + 3;
        rows.lastDelay = rows.lastObserved + 4;
        rows.tsColumns = new int[0];
        rows.eidColumns = new int[0];
        return rows;
    }

    @Override
    public StoredProfile mapRow(ResultSet rs, int rowNum) throws SQLException {
        if (fieldColumns == null) {
            locate(rs);
        }
        Map<ProfileField, Object> fields = new EnumMap<>(ProfileField.class);
        for (int i = 0; i < FIELDS.length; i++) {
            String text = rs.getString(fieldColumns[i]);
            if (text != null) {
                ProfileField field = FIELDS[i];
                fields.put(field, switch (field.kind()) {
                    case STRING -> text;
                    case BOOLEAN -> Boolean.valueOf(text);
                    case STRING_LIST -> JSON.readValue(text, STRING_LIST);
                });
            }
        }
        String lastEvent = rs.getString(lastEventId);
        Map<String, StoredProfile.Version> versions = tsColumns.length == 0 ? Map.of() : new LinkedHashMap<>();
        for (int r = 0; r < tsColumns.length; r++) {
            long micros = rs.getLong(tsColumns[r]);
            if (!rs.wasNull()) {
                // the upserts hand back a register's event id as NULL where it is the row's last one
                String eventId = rs.getString(eidColumns[r]);
                versions.put(VERSION_NAMES[r], new StoredProfile.Version(ProfileTable.instantOfMicros(micros),
                        eventId == null ? lastEvent : eventId));
            }
        }
        return new StoredProfile(rs.getString(userId), rs.getBoolean(present), fields,
                ProfileTable.instantOfMicros(rs.getLong(lastObserved)), lastEvent,
                rs.getString(lastSource), rs.getTimestamp(lastApplied).toInstant(), rs.getLong(lastDelay), versions);
    }

    private void locate(ResultSet rs) throws SQLException {
        int[] fieldIndexes = new int[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            fieldIndexes[i] = rs.findColumn(FIELD_COLUMNS[i]);
        }
        tsColumns = new int[REGISTERS.size()];
        eidColumns = new int[REGISTERS.size()];
        for (int r = 0; r < REGISTERS.size(); r++) {
            tsColumns[r] = rs.findColumn(TS_COLUMNS[r]);
            eidColumns[r] = rs.findColumn(EID_COLUMNS[r]);
        }
        userId = rs.findColumn("user_id");
        present = rs.findColumn("present");
        lastObserved = rs.findColumn("last_observed_ts");
        lastEventId = rs.findColumn("last_event_id");
        lastSource = rs.findColumn("last_source");
        lastApplied = rs.findColumn("last_applied_at");
        lastDelay = rs.findColumn("last_delay_ms");
        fieldColumns = fieldIndexes;
    }
}
