package dev.profilesync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;

import dev.profilesync.events.UserChanged;

/**
 * The store's ceiling for the benchmark: the applier's own merge and convergent upsert, 1,000 changes per
 * transaction, on {@code connections} connections with the users split between them, and no Kafka at all. It runs
 * exactly the applier's code, through the write path's public API.
 */
final class StoreCeiling {

    private StoreCeiling() {
    }

    /** Changes per second. */
    static double run(String jdbcUrl, List<UserChanged> changes, int connections) throws Exception {
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(jdbcUrl);
            dataSource.setMaximumPoolSize(connections + 1);
            BenchStore store = new BenchStore(dataSource);
            List<List<UserChanged>> shares = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                shares.add(new ArrayList<>());
            }
            for (UserChanged change : changes) {
                shares.get(Math.floorMod(change.userId().hashCode(), connections)).add(change);
            }
            ExecutorService pool = Executors.newFixedThreadPool(connections);
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (List<UserChanged> share : shares) {
                running.add(pool.submit(() -> applyInChunks(store, share)));
            }
            for (Future<?> future : running) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return changes.size() / seconds;
        }
    }

    private static void applyInChunks(BenchStore store, List<UserChanged> changes) {
        for (int from = 0; from < changes.size(); from += 1000) {
            store.apply(changes.subList(from, Math.min(changes.size(), from + 1000)));
        }
    }
}
