package dev.profilesync.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEvent;

/**
 * {@code bench/run-upsert}: what the applier's convergent upsert costs PostgreSQL, with no Kafka and no other load.
 * One connection writes batches of 2,000 users (one event each, ten fields, as a directory load brings them) through
 * the applier's own merge and statement ({@link BenchStore}): first as new profiles into an empty store with all its
 * indexes, then as updates of every one of them. Each phase reports the wall time, the CPU time of the writing thread
 * (which also makes the events) and the CPU time of the PostgreSQL backend serving the connection
 * ({@link CpuClock}). A warm-up phase of new profiles runs first and is not reported. Prints and writes {@code upsert.md}.
 */
public final class UpsertBench {

    private static final int BATCH = 2_000;
    private static final ProfileField[] FIELDS = {ProfileField.DISPLAY_NAME, ProfileField.GIVEN_NAME,
        ProfileField.SURNAME, ProfileField.MAIL, ProfileField.USER_PRINCIPAL_NAME, ProfileField.JOB_TITLE,
        ProfileField.DEPARTMENT, ProfileField.CITY, ProfileField.ACCOUNT_ENABLED, ProfileField.BUSINESS_PHONES};

    private UpsertBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                Convergent upsert alone (%s): PostgreSQL 15 on 127.0.0.1 (%s), one connection, batches of %,d users \
                with one event of %d fields each, %,d users a phase; no Kafka, nothing else running. CPU is the \
                writing thread's (it also makes the events) and the backend's.

                | run | phase | wall | writer CPU | PostgreSQL backend CPU | backend CPU per row |
                |---:|---|---:|---:|---:|---:|
                """, Instant.now().toString().substring(0, 10), BenchDatabase.serverSettings(), BATCH, FIELDS.length,
                BATCH * batches));
        for (int run = 1; run <= runs; run++) {
            try (BenchDatabase db = new BenchDatabase()) {
                SingleConnectionDataSource dataSource = new SingleConnectionDataSource(db.url(), true);
                try {
                    BenchStore store = new BenchStore(dataSource);
                    int backend;
                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        backend = rs.getInt(1);
                    }
                    phase(store, backend, 2, batches, null, run, md); // warm-up: other users, not reported
                    phase(store, backend, 0, batches, "new profiles", run, md);
                    phase(store, backend, 1, batches, "updates of them", run, md);
                } finally {
                    dataSource.destroy();
                }
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("upsert.md"), md.toString());
        System.out.println(md);
    }

    /** Writes {@code batches} batches; round 0 inserts users 0.., round 1 updates them, round 2 inserts others. */
    private static void phase(BenchStore store, int backend, int round, int batches, String name, int run,
            StringBuilder md) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random random = new Random(round);
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        double serverBefore = CpuClock.process(backend);
        for (int b = 0; b < batches; b++) {
            List<UserEvent> events = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                long number = (round == 2 ? 1L << 40 : 0) + (long) b * BATCH + i;
                String user = new UUID(0x6d1c_55e2_0000_4000L, 0x8000_0000_0000_0000L | number).toString();
                Map<ProfileField, Object> values = new EnumMap<>(ProfileField.class);
                for (ProfileField field : FIELDS) {
                    values.put(field, switch (field) {
                        case ACCOUNT_ENABLED -> random.nextBoolean();
                        case BUSINESS_PHONES -> List.of("+47 " + (10_000_000 + random.nextInt(89_999_999)));
                        case MAIL, USER_PRINCIPAL_NAME -> "user" + number + "." + random.nextInt(1000) + "@example.com";
                        default -> field.jsonName() + " " + random.nextInt(100_000);
                    });
                }
                events.add(new UserChanged(UUID.randomUUID().toString(), user, "graph",
                        Instant.ofEpochSecond(1_700_000_000L + round * 1_000L + b), values));
            }
            store.apply(events);
        }
        if (name != null) {
            double server = CpuClock.process(backend) - serverBefore;
            md.append(String.format(Locale.ROOT, "| %d | %s | %.2f s | %.2f s | %.2f s | %.1f µs |%n", run, name,
                    (System.nanoTime() - wall) / 1e9, (threads.getCurrentThreadCpuTime() - cpu) / 1e9, server,
                    server * 1e6 / (batches * BATCH)));
        }
    }
}
