package dev.profilesync.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserChanged;
import dev.profilesync.local.cluster.ClusterDeployment;
import dev.profilesync.local.cluster.ClusterDeployment.Instance;
import dev.profilesync.local.cluster.ClusterDeployment.Service;
import dev.profilesync.local.cluster.FaultRun;

/**
 * The product on a real three-broker cluster, every service a separate JVM from its runnable jar (2 change-ingest,
 * 2 directory-sync, 3 profile-applier, 1 photo-sync, 1 sync-monitor), PostgreSQL behind a cuttable proxy: faults one
 * after another under a steady load, then applier scale-out with 1, 2 and 3 processes on one change set, and the pause
 * an applier leaving or joining causes. One markdown report; see {@code bench/run-cluster}.
 */
public final class ClusterBench {

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("users", "5000", "intake-rate", "100",
                "directory-rate", "10", "faults", "all", "scale-changes", "300000", "scale-users", "75000",
                "output", "bench/results/cluster.md", "repository", ".", "version", "0.1.0"));
        for (String arg : args) {
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int users = Integer.parseInt(options.get("users"));
        int intakeRate = Integer.parseInt(options.get("intake-rate"));
        double directoryRate = Double.parseDouble(options.get("directory-rate"));
        List<FaultRun.Fault> faults = options.get("faults").equals("all") ? List.of(FaultRun.Fault.values())
                : java.util.Arrays.stream(options.get("faults").split(",")).map(FaultRun.Fault::valueOf).toList();
        Path directory = Files.createTempDirectory("cluster-bench");
        PrintStream log = System.out;
        StringBuilder report = new StringBuilder();
        ClusterDeployment.Shape shape = ClusterDeployment.Shape.full(users);
        long started = System.nanoTime();
        try (ClusterDeployment deployment = ClusterDeployment.start(directory, shape,
                ClusterDeployment.Launcher.fromJars(Path.of(options.get("repository")), options.get("version")))) {
            log.printf("%s deployment ready after %d s (logs in %s)%n", Instant.now(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), directory);
            awaitInitialLoad(deployment, users);
            log.printf("%s initial load of %d users in the store%n", Instant.now(), users);
            List<FaultRun.Result> results = new ArrayList<>();
            FaultRun.Verdict verdict;
            try (FaultRun run = new FaultRun(deployment, intakeRate, directoryRate, users, log)) {
                run.awaitSteady(Duration.ofMinutes(3));
                for (FaultRun.Fault fault : faults) {
                    results.add(run.run(fault));
                }
                verdict = run.finish(Duration.ofMinutes(5));
            }
            log.printf("%s verdict: %s%n", Instant.now(), verdict);
            Scale scale = scaleOut(deployment, Integer.parseInt(options.get("scale-changes")),
                    Integer.parseInt(options.get("scale-users")), intakeRate, directoryRate, users, log);
            report.append(markdown(shape, intakeRate, directoryRate, results, verdict, scale));
        }
        Path output = Path.of(options.get("output"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report.toString(), StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static void awaitInitialLoad(ClusterDeployment deployment, int users) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Connection connection = deployment.storeConnection();
                    var rows = connection.createStatement().executeQuery(
                            "SELECT COUNT(*) FROM profile WHERE present")) {
                rows.next();
                if (rows.getInt(1) >= users) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // the applier has not created the table yet
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the initial load did not reach the store");
    }

    /** Scale-out figures. */
    record Scale(int changes, int users, Map<Integer, Double> perSecond, long leaveWorstMs, long joinWorstMs,
            long baselineWorstMs) {
    }

    /**
     * Leave and join pauses under the steady load, then the same change set applied by 1, 2 and 3 applier
     * processes: store emptied, the processes started and settled, then the set committed in one transaction.
     */
    private static Scale scaleOut(ClusterDeployment deployment, int changes, int users, int intakeRate,
            double directoryRate, int loadUsers, PrintStream log) throws Exception {
        List<Instance> appliers = deployment.instances(Service.PROFILE_APPLIER);
        long baseline;
        long leave;
        long join;
        try (FaultRun run = new FaultRun(deployment, intakeRate, directoryRate, loadUsers, log)) {
            run.awaitSteady(Duration.ofMinutes(3));
            Instant from = Instant.now();
            Thread.sleep(20_000);
            baseline = run.observer().worstDelayMillis(from, Instant.now());
            Instance third = appliers.get(2);
            from = Instant.now();
            third.process().stop(Duration.ofSeconds(30));
            Thread.sleep(20_000);
            leave = run.observer().worstDelayMillis(from, Instant.now());
            from = Instant.now();
            third.process().start();
            deployment.awaitReady(third, Duration.ofMinutes(3));
            Thread.sleep(20_000);
            join = run.observer().worstDelayMillis(from, Instant.now());
            log.printf("%s rebalance: baseline worst %d ms, leave %d ms, join %d ms%n", Instant.now(), baseline,
                    leave, join);
            run.finish(Duration.ofMinutes(3));
        }
        appliers.forEach(applier -> applier.process().stop(Duration.ofSeconds(30)));
        List<UserChanged> set = ChangeSet.generate(changes, users, 7);
        Map<Integer, Double> perSecond = new java.util.LinkedHashMap<>();
        for (int n = 1; n <= appliers.size(); n++) {
            try (Connection connection = deployment.storeConnection()) {
                connection.createStatement().execute("TRUNCATE profile");
            }
            List<Instance> running = appliers.subList(0, n);
            running.forEach(applier -> applier.process().start());
            running.forEach(applier -> deployment.awaitReady(applier, Duration.ofMinutes(3)));
            Thread.sleep(15_000); // the group settles with every partition assigned
            Map<TopicPartition, Long> from = endOffsets(deployment);
            // one transaction: the appliers (read_committed) see the whole set at once, at the commit
            long committed = produce(deployment, set);
            Map<TopicPartition, Long> to = endOffsets(deployment);
            perSecond.put(n, measure(deployment, from, to, committed));
            log.printf("%s %d applier process(es): %.0f changes/s%n", Instant.now(), n, perSecond.get(n));
            running.forEach(applier -> applier.process().stop(Duration.ofSeconds(30)));
        }
        return new Scale(changes, users, perSecond, leave, join, baseline);
    }

    /**
     * Changes per second, from the group's committed offsets (committed with each poll's snapshots): the clock runs
     * from {@code first} (the set's commit) to the moment every partition has reached its end.
     */
    private static double measure(ClusterDeployment deployment, Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> to, long first) throws Exception {
        long total = to.entrySet().stream().mapToLong(e -> e.getValue() - from.get(e.getKey())).sum();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        try (Admin admin = deployment.kafka().admin()) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(
                        ConsumerGroups.PROFILE_APPLIER).partitionsToOffsetAndMetadata().get();
                long now = System.nanoTime();
                long applied = 0;
                boolean complete = true;
                for (Map.Entry<TopicPartition, Long> end : to.entrySet()) {
                    OffsetAndMetadata offset = done.get(end.getKey());
                    long position = offset == null ? from.get(end.getKey()) : offset.offset();
                    applied += Math.max(0, Math.min(position, end.getValue()) - from.get(end.getKey()));
                    // a partition's last record may be followed by a transaction marker
                    complete &= position >= end.getValue() - 1;
                }
                if (complete) {
                    return total / Math.max((now - first) / 1e9, 1e-3);
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the change set was not applied within 15 minutes");
    }

    private static Map<TopicPartition, Long> endOffsets(ClusterDeployment deployment) throws Exception {
        try (Admin admin = deployment.kafka().admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.USER_CHANGES)).allTopicNames().get().get(Topics.USER_CHANGES)
                    .partitions().forEach(p -> latest.put(new TopicPartition(Topics.USER_CHANGES, p.partition()),
                            OffsetSpec.latest()));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((p, info) -> offsets.put(p, info.offset()));
            return offsets;
        }
    }

    /** Produces the changes in one transaction; returns {@link System#nanoTime()} at its commit. */
    private static long produce(ClusterDeployment deployment, List<UserChanged> changes) {
        return ChangeSet.sendInTransaction(deployment.kafka().bootstrapServers(), changes);
    }

    private static String markdown(ClusterDeployment.Shape shape, int intakeRate, double directoryRate,
            List<FaultRun.Result> results, FaultRun.Verdict verdict, Scale scale) {
        StringBuilder md = new StringBuilder("# profile-sync on a three-broker cluster: faults and scale-out\n\n");
        md.append(String.format(Locale.ROOT, "2 cores, %s. Three Kafka 4.1.2 broker processes (combined broker and "
                + "controller, replication factor 3, min.insync.replicas=2), PostgreSQL 15 behind a TCP proxy, the "
                + "directory simulator (%,d users), and every service as its own JVM from its runnable jar: "
                + "%d change-ingest, %d directory-sync, %d profile-applier (%d consumer threads each, %d partitions), "
                + "%d photo-sync, %d sync-monitor: all on the same 2 cores. Steady load throughout: the HTTP intake "
                + "at %d changes/s (a client that resends a failed batch, same event ids, to the other instance) "
                + "and the directory changing at %.0f changes/s.%n%n", LocalDate.now(), shape.simulatorUsers(),
                shape.ingest(), shape.directory(), shape.appliers(), shape.applierConsumers(), shape.partitions(),
                shape.photo(), shape.monitor(), intakeRate, directoryRate));
        md.append("Sync delay: time from when a change was observed at its source to when the applier wrote it, for "
                + "every change seen on `profile.snapshots` (read_committed). Recovered: the last second with a "
                + "delay of 1 s or more, counted from the fault. Sent: changes accepted by the intake plus changes "
                + "made in the directory during the window; produced: changes that reached `directory.user-changes`; "
                + "duplicates: changes applied in the window beyond those produced in it (a redelivered poll); lost: "
                + "changes the intake accepted (202) that never reached Kafka.\n\n");
        md.append("Killed processes are started again once the delay is back under 1 s (and the cut connections "
                + "restored after the cut); the columns after \"restored\" measure that second disturbance (a broker "
                + "rejoining moves leaders back; an applier rejoining causes a rebalance) from the moment of the "
                + "restart.\n\n");
        md.append("| fault | window s | sent | produced | applied | duplicates applied | lost | regressions "
                + "| worst delay s | delay < 1 s again after s | restored after s | worst delay after restore s "
                + "| < 1 s again after restore s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FaultRun.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %,d | %,d | %,d | %,d | %,d | %,d | %.1f | %.1f | %s "
                    + "| %s | %s |%n", r.fault().description, r.windowSeconds(), r.sent(), r.produced(), r.applied(),
                    r.duplicates(), r.lost(), r.regressions(), r.worstDelayMillis() / 1000.0, r.recoverySeconds(),
                    r.restoredAfterSeconds() < 0 ? "–" : String.format(Locale.ROOT, "%.1f", r.restoredAfterSeconds()),
                    r.restoredAfterSeconds() < 0 ? "–" : String.format(Locale.ROOT, "%.1f",
                            r.restoreWorstDelayMillis() / 1000.0),
                    r.restoredAfterSeconds() < 0 ? "–" : String.format(Locale.ROOT, "%.1f",
                            r.restoreRecoverySeconds())));
        }
        md.append(String.format(Locale.ROOT, "%n**End state: %s.** Intake: %,d changes accepted (%,d batches resent "
                + "after a failure), %,d lost before Kafka; the newest accepted change of each of %,d users is in the "
                + "store: %s. Directory: %,d changes; the store holds %,d present users, the tenant %,d; fields equal "
                + "the tenant's: %s. Over the whole run %,d changes were produced and %,d applied (%,d duplicates "
                + "applied); regressions on the snapshot stream: %,d.%n",
                verdict.passed() ? "equal to the truth, nothing lost" : "NOT equal to the truth",
                verdict.accepted(), verdict.intakeRetries(), verdict.lostBeforeKafka(), verdict.intakeUsers(),
                verdict.intakeMismatches() == 0 ? "yes" : "no, " + verdict.intakeMismatches() + " differ",
                verdict.simulatorChanges(), verdict.storeUsers(), verdict.tenantUsers(),
                verdict.directoryEqual() ? "yes" : "no", verdict.produced(), verdict.applied(),
                verdict.duplicates(), verdict.regressions()));
        if (!verdict.regressionExamples().isEmpty()) {
            md.append("\nRegressions seen (user/register: before then after): ")
                    .append(verdict.regressionExamples().entrySet().stream().limit(5)
                            .map(e -> e.getKey() + ": " + e.getValue()).toList()).append('\n');
        }
        md.append(String.format(Locale.ROOT, "%n## Applier scale-out%n%nThe same %,d changes over %,d users (1–3 "
                + "fields each), produced in one Kafka transaction once the appliers run and their group has settled, so "
                + "they see it all at once; store emptied before each run; snapshot stream on. Clock from that "
                + "commit until the group's offsets (committed with each poll's snapshots) reach the end.%n%n"
                + "| applier processes | changes/s | per process |%n|---:|---:|---:|%n", scale.changes(),
                scale.users()));
        scale.perSecond().forEach((n, rate) -> md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f |%n", n,
                rate, rate / n)));
        md.append(String.format(Locale.ROOT, "%nCooperative rebalance under the steady load (worst sync delay in "
                + "the 20 s after): none %.1f s; an applier leaves (SIGTERM) %.1f s; it joins again %.1f s.%n",
                scale.baselineWorstMs() / 1000.0, scale.leaveWorstMs() / 1000.0, scale.joinWorstMs() / 1000.0));
        return md.toString();
    }
}
