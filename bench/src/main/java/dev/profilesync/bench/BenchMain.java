package dev.profilesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.profilesync.applier.profile.StoreCeiling;
import dev.profilesync.events.UserChanged;

/**
 * {@code bench/run-applier}: the same generated change set through (1) the store's ceiling, (2) a textbook
 * per-record listener and (3) the applier with 1, 2, 4, 8 and 12 partitions, against the local PostgreSQL and a real
 * KRaft broker. Writes {@code applier.md} and {@code applier.svg} into the results directory.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String quiet : List.of("org.springframework", "com.zaxxer", "org.flywaydb", "dev.profilesync",
                "org.apache.catalina", "org.apache.tomcat")) {
            System.setProperty("logging.level." + quiet, "WARN");
        }
        Map<String, String> options = new HashMap<>(Map.of("changes", "200000", "users", "50000", "peer-changes",
                "20000", "partitions", "1,2,4,8,12", "max-consumers", "4", "out", "bench/results"));
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int changes = Integer.parseInt(options.get("changes"));
        int users = Integer.parseInt(options.get("users"));
        int peerChanges = Integer.parseInt(options.get("peer-changes"));
        int maxConsumers = Integer.parseInt(options.get("max-consumers"));
        List<Integer> partitionCounts = Arrays.stream(options.get("partitions").split(",")).map(Integer::valueOf)
                .toList();
        List<UserChanged> set = ChangeSet.generate(changes, users, 42);
        List<UserChanged> peerSet = set.subList(0, peerChanges);
        List<Result> results = new ArrayList<>();

        for (int partitions : partitionCounts) {
            int consumers = Math.min(partitions, maxConsumers);
            double ceiling;
            try (BenchDatabase db = new BenchDatabase()) {
                ceiling = StoreCeiling.run(db.url(), set, consumers);
            }
            double ours;
            try (BenchDatabase db = new BenchDatabase(); BenchKafka kafka = new BenchKafka(partitions, set)) {
                ours = Applier.run(kafka.bootstrapServers(), db.url(), partitions, consumers, changes);
            }
            results.add(new Result(partitions, consumers, ceiling, ours));
            System.out.printf("partitions=%d consumers=%d ceiling=%.0f/s applier=%.0f/s (%.0f%%)%n", partitions,
                    consumers, ceiling, ours, 100 * ours / ceiling);
        }
        int peerConsumers = Math.min(partitionCounts.get(partitionCounts.size() - 1), maxConsumers);
        double peer;
        try (BenchDatabase db = new BenchDatabase();
                BenchKafka kafka = new BenchKafka(partitionCounts.get(partitionCounts.size() - 1), peerSet)) {
            peer = PerRecordPeer.run(kafka.bootstrapServers(), db.url(), peerConsumers, peerChanges);
        }
        System.out.printf("per-record peer: %.0f/s%n", peer);

        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("applier.md"), Report.markdown(results, peer, peerConsumers, changes, users,
                peerChanges));
        Files.writeString(out.resolve("applier.svg"), Report.svg(results, peer));
        System.out.println(Report.markdown(results, peer, peerConsumers, changes, users, peerChanges));
    }

    /** One partition count's figures, in changes per second. */
    record Result(int partitions, int consumers, double ceiling, double applier) {
    }
}
