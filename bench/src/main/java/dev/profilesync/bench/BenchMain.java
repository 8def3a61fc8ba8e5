package dev.profilesync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        options.put("repeat", "3");
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
        int repeat = Integer.parseInt(options.get("repeat"));
        List<Result> results = new ArrayList<>();

        // warm-up, not reported: both paths run once so that neither is measured with cold JIT-compiled code
        List<UserChanged> warmUp = set.subList(0, Math.min(set.size(), 40_000));
        ceiling(warmUp, 2);
        applier(warmUp, 2, 2);

        for (int partitions : partitionCounts) {
            int consumers = Math.min(partitions, maxConsumers);
            List<Double> ceilings = new ArrayList<>();
            List<Double> appliers = new ArrayList<>();
            for (int run = 0; run < repeat; run++) {
                ceilings.add(ceiling(set, consumers));
                appliers.add(applier(set, partitions, consumers));
                System.out.printf("partitions=%d consumers=%d run=%d ceiling=%.0f/s applier=%.0f/s (%.0f%%)%n",
                        partitions, consumers, run + 1, ceilings.get(run), appliers.get(run),
                        100 * appliers.get(run) / ceilings.get(run));
            }
            results.add(new Result(partitions, consumers, median(ceilings), median(appliers), ceilings, appliers));
        }
        int peerConsumers = Math.min(partitionCounts.get(partitionCounts.size() - 1), maxConsumers);
        int peerPartitions = partitionCounts.get(partitionCounts.size() - 1);
        Map<PerRecordPeer.Kind, List<Double>> peerRuns = new java.util.EnumMap<>(PerRecordPeer.Kind.class);
        for (PerRecordPeer.Kind kind : PerRecordPeer.Kind.values()) {
            peer(kind, peerSet.subList(0, Math.min(peerSet.size(), 4_000)), peerPartitions, peerConsumers); // warm-up
            List<Double> runs = new ArrayList<>();
            for (int run = 0; run < repeat; run++) {
                runs.add(peer(kind, peerSet, peerPartitions, peerConsumers));
                System.out.printf("per-record peer %s run=%d: %.0f/s%n", kind, run + 1, runs.get(run));
            }
            peerRuns.put(kind, runs);
        }
        Peers peers = new Peers(peerRuns.get(PerRecordPeer.Kind.SAME_UPSERT), peerRuns.get(PerRecordPeer.Kind.BLOB),
                peerConsumers, peerChanges);

        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        String markdown = Report.markdown(results, peers, changes, users);
        Files.writeString(out.resolve("applier.md"), markdown);
        Files.writeString(out.resolve("applier.svg"), Report.svg(results, peers.same()));
        System.out.println(markdown);
    }

    private static double ceiling(List<UserChanged> set, int connections) throws Exception {
        try (BenchDatabase db = new BenchDatabase()) {
            return StoreCeiling.run(db.url(), set, connections);
        }
    }

    private static double applier(List<UserChanged> set, int partitions, int consumers) throws Exception {
        try (BenchDatabase db = new BenchDatabase(); BenchKafka kafka = new BenchKafka(partitions, set)) {
            return Applier.run(kafka.bootstrapServers(), db.url(), partitions, consumers, set.size()).perSecond();
        }
    }

    private static double peer(PerRecordPeer.Kind kind, List<UserChanged> set, int partitions, int consumers)
            throws Exception {
        try (BenchDatabase db = new BenchDatabase(); BenchKafka kafka = new BenchKafka(partitions, set)) {
            return PerRecordPeer.run(kind, kafka.bootstrapServers(), db.url(), consumers, set.size());
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The per-record peers' runs, in changes per second: the same upsert per record, and the blob reference. */
    record Peers(List<Double> sameRuns, List<Double> blobRuns, int consumers, int changes) {
        double same() {
            return median(sameRuns);
        }

        double blob() {
            return median(blobRuns);
        }
    }

    /** One partition count's figures, in changes per second: medians and every run. */
    record Result(int partitions, int consumers, double ceiling, double applier, List<Double> ceilings,
            List<Double> appliers) {
    }
}
