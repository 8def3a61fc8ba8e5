package dev.profilesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.profilesync.directory.graph.KnownUsers;

/**
 * {@code bench/run-state-memory}: heap held by directory-sync's known-user state (every directory user with its photo
 * media etag and the full round that last listed it) at 1,000,000 and 3,000,000 users, in the compact form it keeps
 * now and in the {@code HashMap<String, String[]>} it kept before; and the sweep's sorted snapshot. Measured as live
 * heap after a full GC, the etags as Graph writes them. Writes {@code state-memory.md}.
 */
public final class StateMemoryBench {

    private StateMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                directory-sync's known-user state, live heap after a full GC (%s, JDK %s):

                | users | compact (now) | bytes/user | photo sweep snapshot | HashMap<String, String[]> (before) | bytes/user |
                |---:|---:|---:|---:|---:|---:|
                """, java.time.LocalDate.now(), Runtime.version().feature()));
        for (int users : new int[] {1_000_000, 3_000_000}) {
            long base = live();
            KnownUsers compact = new KnownUsers();
            fill(users, (id, etag) -> compact.put(id, etag, "round-1"));
            long compactBytes = live() - base;
            long sweepStart = live();
            KnownUsers.SortedIds snapshot = compact.sortedAfter("");
            long sweepBytes = live() - sweepStart;
            System.out.println("snapshot starts with " + snapshot.next(1));
            Map<String, String[]> before = new HashMap<>();
            long mapStart = live();
            fill(users, (id, etag) -> before.put(id, new String[] {etag, new String("round-1")}));
            long mapBytes = live() - mapStart;
            md.append(String.format(Locale.ROOT, "| %,d | %,.0f MB | %.0f | %,.0f MB | %,.0f MB | %.0f |%n", users,
                    compactBytes / 1e6, (double) compactBytes / users, sweepBytes / 1e6, mapBytes / 1e6,
                    (double) mapBytes / users));
            System.out.println(md);
            if (compact.size() + before.size() == 0 || snapshot == null) {
                throw new IllegalStateException();
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("state-memory.md"), md.toString());
        System.exit(0);
    }

    private static void fill(int users, java.util.function.BiConsumer<String, String> put) {
        Random random = new Random(users);
        for (int i = 0; i < users; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            // every tenth user has no photo; the others an etag as Graph gives it
            put.accept(id, i % 10 == 0 ? "" : "W/\"" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + "\"");
        }
    }

    private static long live() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
