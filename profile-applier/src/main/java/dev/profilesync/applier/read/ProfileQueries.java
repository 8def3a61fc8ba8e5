package dev.profilesync.applier.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.profilesync.applier.store.ProfileRows;
import dev.profilesync.applier.store.ProfileTable;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ProfileField;

/**
 * The read side's queries on the {@code profile} table: one profile by id, search with stable pages, and lookups by
 * equality for provisioning clients.
 */
@Repository
public class ProfileQueries {

    private final JdbcTemplate jdbc;

    private final boolean postgres;

    /** The read API's queries, on the read pool. */
    @org.springframework.beans.factory.annotation.Autowired
    public ProfileQueries(ReadPool pool) {
        this(pool.dataSource());
    }

    /** Queries on {@code dataSource}; the writers' own re-reads use their pool through this. */
    public ProfileQueries(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.postgres = ProfileTable.isPostgres(dataSource);
    }

    /** The stored rows of these users (present or deleted); users the store never saw are left out. */
    public List<StoredProfile> findAll(java.util.Collection<String> userIds) {
        List<StoredProfile> found = new ArrayList<>(userIds.size());
        List<String> ids = List.copyOf(userIds);
        if (postgres) {
            // one array parameter: planned once, whatever the number of ids
            return jdbc.query(connection -> {
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "SELECT * FROM profile WHERE user_id = ANY (?)");
                query.setArray(1, connection.createArrayOf("text", ids.toArray()));
                return query;
            }, new ProfileRows());
        }
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            found.addAll(jdbc.query("SELECT * FROM profile WHERE user_id IN (" + marks + ")", new ProfileRows(),
                    chunk.toArray()));
        }
        return found;
    }

    /** The stored row of this user, versions included. */
    public Optional<StoredProfile> find(String userId) {
        return jdbc.query("SELECT * FROM profile WHERE user_id = ?", new ProfileRows(), userId).stream().findFirst();
    }

    /** The user's profile as the read API shows it: fields and {@code last_*}, no register versions. */
    public Optional<StoredProfile> view(String userId) {
        return jdbc.query("SELECT " + ProfileRows.VIEW_COLUMNS + " FROM profile WHERE user_id = ?", ProfileRows.view(),
                userId).stream().findFirst();
    }

    /** Where the user's row stands: whether present, and its newest applied change. */
    record SyncState(boolean present, java.time.Instant lastObservedAt, java.time.Instant lastAppliedAt,
            long lastDelayMillis, String lastSource, String lastEventId) {
    }

    /** The user's {@link SyncState}, empty when the store never saw the user. */
    Optional<SyncState> syncState(String userId) {
        return jdbc.query("SELECT present, last_observed_ts, last_applied_at, last_delay_ms, last_source, last_event_id"
                + " FROM profile WHERE user_id = ?", (rs, row) -> new SyncState(rs.getBoolean(1),
                        ProfileTable.instantOfMicros(rs.getLong(2)), rs.getTimestamp(3).toInstant(), rs.getLong(4),
                        rs.getString(5), rs.getString(6)), userId).stream().findFirst();
    }

    /**
     * What a text search matches: any part of the display name (the PostgreSQL trigram index's expression), or the
     * beginning of the mail or user principal name (their pattern-order indexes' expressions). The same pattern,
     * {@code %text%}, is bound to the first and {@code text%} to the other two.
     */
    static final String SEARCH_TEXT = "(LOWER(COALESCE(display_name, '')) LIKE ? ESCAPE '\\'"
            + " OR LOWER(mail) LIKE ? ESCAPE '\\' OR LOWER(user_principal_name) LIKE ? ESCAPE '\\')";

    /** The listing order, display name then id; the same expression the listing indexes are built on. */
    static final String ORDER = "COALESCE(display_name, '')";

    /** Where a page starts: after this display name and id (keyset paging). */
    record After(String displayName, String userId) {
    }

    /**
     * Present profiles matching {@code query} (anywhere in the display name, or the beginning of the mail or user
     * principal name, ignoring case) and
     * {@code department} (exact), ordered by display name then id: after {@code after} when given (keyset paging, as
     * fast on the last page as on the first), else from {@code offset}. The profiles come as {@link #view} shows them.
     */
    List<StoredProfile> search(String query, String department, After after, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ProfileRows.VIEW_COLUMNS + " FROM profile WHERE present = TRUE");
        List<Object> args = new ArrayList<>();
        if (query != null && !query.isBlank()) {
            String escaped = query.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_");
            sql.append(" AND ").append(SEARCH_TEXT);
            args.addAll(List.of("%" + escaped + "%", escaped + "%", escaped + "%"));
        }
        if (department != null && !department.isBlank()) {
            sql.append(" AND department = ?");
            args.add(department);
        }
        // With a text to find, the matches come from the trigram index and are sorted (a top-N sort of the matching
        // rows); ordering by an expression no index has keeps the planner from walking the listing index in name order
        // and filtering, which for a text that matches late in the order reads most of the table.
        String order = query != null && !query.isBlank() ? "(" + ORDER + " || '')" : ORDER;
        if (after != null) {
            sql.append(" AND (").append(order).append(", user_id) > (?, ?)");
            args.add(after.displayName());
            args.add(after.userId());
        }
        sql.append(" ORDER BY ").append(order).append(", user_id LIMIT ?");
        args.add(limit);
        if (after == null && offset > 0) {
            sql.append(" OFFSET ?");
            args.add(offset);
        }
        return jdbc.query(sql.toString(), ProfileRows.view(), args.toArray());
    }

    /** A lookup by equality, as provisioning clients make them: a field (the user id when null) equal to a value. */
    public record Equals(ProfileField field, String value, boolean ignoreCase) {
    }

    /** Present profiles matching every condition, ordered by id, as {@link #view} shows them. */
    public List<StoredProfile> presentMatching(List<Equals> conditions, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + ProfileRows.VIEW_COLUMNS + " FROM profile WHERE present = TRUE"
                + where(conditions, args) + " ORDER BY user_id LIMIT ? OFFSET ?";
        args.add(limit);
        args.add(offset);
        return jdbc.query(sql, ProfileRows.view(), args.toArray());
    }

    /** How many present profiles match every condition. */
    public long countPresentMatching(List<Equals> conditions) {
        List<Object> args = new ArrayList<>();
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM profile WHERE present = TRUE" + where(conditions, args),
                Long.class, args.toArray());
        return count == null ? 0 : count;
    }

    private static String where(List<Equals> conditions, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        for (Equals condition : conditions) {
            String column = condition.field() == null ? "user_id" : ProfileTable.column(condition.field());
            if (condition.field() == null) {
                sql.append(" AND user_id = ?");
                args.add(condition.value().toLowerCase(java.util.Locale.ROOT));
            } else if (condition.ignoreCase()) {
                sql.append(" AND LOWER(").append(column).append(") = ?");
                args.add(condition.value().toLowerCase(java.util.Locale.ROOT));
            } else {
                sql.append(" AND ").append(column).append(" = ?");
                args.add(condition.value());
            }
        }
        return sql.toString();
    }
}
