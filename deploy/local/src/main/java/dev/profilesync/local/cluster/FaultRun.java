package dev.profilesync.local.cluster;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;

import dev.profilesync.events.Topics;
import dev.profilesync.graph.GraphClients;
import dev.profilesync.local.cluster.ClusterDeployment.Instance;
import dev.profilesync.local.cluster.ClusterDeployment.Service;
import dev.profilesync.simulator.Tenant;

/**
 * Runs faults one after another against a {@link ClusterDeployment} under a steady load (the HTTP intake at a fixed
 * rate, and the simulated directory changing at a fixed rate) and measures each: changes sent, changes applied,
 * duplicates applied, accepted changes that never reached Kafka (lost), regressions seen on the snapshot stream, the
 * worst sync delay, and the time until the delay stayed below one second again. At the end the load stops and the
 * store must equal the truth: the simulated tenant's (same users, same directory fields) and the intake client's own
 * record of the newest change it got accepted for each user.
 */
public final class FaultRun implements AutoCloseable {

    /** The directory fields compared with the tenant, as the end-to-end tests do. */
    static final List<String> ATTRIBUTES = List.of("displayName", "mail", "jobTitle", "department",
            "officeLocation", "mobilePhone", "managerId");
    private static final List<String> COLUMNS = List.of("display_name", "mail", "job_title", "department",
            "office_location", "mobile_phone", "manager_id");
    private static final Duration FAST = Duration.ofSeconds(1);

    /** The faults, in the order the issue lists them. */
    public enum Fault {
        BROKER("kill -9 of a broker (not the controller)"),
        CONTROLLER("kill -9 of the broker that is the active controller"),
        APPLIER("kill -9 of one profile-applier"),
        APPLIERS_ROLLING("rolling restart of all profile-appliers (SIGTERM, start, ready, next)"),
        DIRECTORY_SYNC("kill -9 of the active directory-sync"),
        DATABASE("PostgreSQL connections cut (TCP proxy), 30 s unless stated"),
        PARTITIONS("partitions of directory.user-changes increased by 4 while running");

        public final String description;

        Fault(String description) {
            this.description = description;
        }
    }

    /**
     * What one fault did. For a fault that ends by bringing something back (a killed process started again), the
     * delay figures are split: while it is gone, and from when it is started again (it rejoins: leaders move back, a
     * rebalance); {@code restoredAfterSeconds} is when that happened, counted from the fault, or -1.
     */
    public record Result(Fault fault, long sent, long produced, long applied, long duplicates, long lost,
            long regressions, long worstDelayMillis, double recoverySeconds, double restoredAfterSeconds,
            long restoreWorstDelayMillis, double restoreRecoverySeconds, double windowSeconds) {
    }

    /** The end state. */
    public record Verdict(long accepted, long simulatorChanges, long produced, long applied, long duplicates,
            long lostBeforeKafka, int intakeUsers, int intakeMismatches, int storeUsers, int tenantUsers,
            boolean directoryEqual, long regressions, Map<String, String> regressionExamples, long intakeRetries) {

        public boolean passed() {
            return lostBeforeKafka == 0 && intakeMismatches == 0 && directoryEqual && regressions == 0;
        }
    }

    private final ClusterDeployment deployment;
    private final PrintStream log;
    private final Tenant tenant;
    private final IntakeLoad load;
    private final SnapshotObserver observer;
    private final AppliedCounter applied;
    private final long simulatorStart;
    private final double directoryRate;
    private Duration databaseCut = Duration.ofSeconds(30);
    /** When the current fault's victim was started again, if it was. */
    private Instant restored;

    public FaultRun(ClusterDeployment deployment, int intakePerSecond, double directoryPerSecond, int loadUsers,
            PrintStream log) {
        this.deployment = deployment;
        this.log = log;
        this.tenant = deployment.simulator().tenant();
        this.directoryRate = directoryPerSecond;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < Math.min(loadUsers, tenant.presentUsers()); i++) {
            users.add((String) tenant.user(i).get("id"));
        }
        this.observer = new SnapshotObserver(deployment.kafka().bootstrapServers());
        this.applied = new AppliedCounter(deployment.instances(Service.PROFILE_APPLIER));
        this.simulatorStart = tenant.sequence();
        this.load = new IntakeLoad(deployment.instances(Service.CHANGE_INGEST).stream().map(Instance::url).toList(),
                deployment.apiKey(), users, intakePerSecond);
        deployment.simulator().changesPerSecond(directoryPerSecond);
    }

    /** How long {@link Fault#DATABASE} cuts the store's connections (30 s unless set). */
    public FaultRun databaseCut(Duration duration) {
        this.databaseCut = duration;
        return this;
    }

    /** Waits until the delay has stayed below one second for 10 s (the load's steady state). */
    public void awaitSteady(Duration limit) {
        awaitCaughtUp(Instant.now().plus(limit), 10);
    }

    /** Runs one fault and what it takes to recover from it; returns its figures. */
    public Result run(Fault fault) {
        Instant start = Instant.now();
        restored = null;
        long sentBefore = sent();
        long appliedBefore = appliedNow();
        log.printf("%s %s%n", start, fault.description);
        switch (fault) {
            case BROKER -> killBroker(otherThan(deployment.kafka().activeController()));
            case CONTROLLER -> killBroker(deployment.kafka().activeController());
            case APPLIER -> {
                Instance victim = deployment.instance(Service.PROFILE_APPLIER, 2);
                readBeforeStop(victim);
                victim.process().kill();
                awaitCaughtUp(Instant.now().plusSeconds(180), 5);
                restored = Instant.now();
                victim.process().start();
                deployment.awaitReady(victim, Duration.ofMinutes(3));
            }
            case APPLIERS_ROLLING -> {
                for (Instance applier : deployment.instances(Service.PROFILE_APPLIER)) {
                    readBeforeStop(applier);
                    applier.process().stop(Duration.ofSeconds(30));
                    applier.process().start();
                    deployment.awaitReady(applier, Duration.ofMinutes(3));
                }
            }
            case DIRECTORY_SYNC -> {
                Instance active = activeDirectorySync();
                active.process().kill();
                awaitCaughtUp(Instant.now().plusSeconds(180), 5);
                restored = Instant.now();
                active.process().start();
                deployment.awaitReady(active, Duration.ofMinutes(3));
            }
            case DATABASE -> {
                try {
                    deployment.database().cut();
                    ClusterDeployment.pause(databaseCut);
                    restored = Instant.now();
                    deployment.database().restore();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            case PARTITIONS -> {
                int before = addPartitions(4);
                awaitNewPartitionsApplied(before, Duration.ofMinutes(7));
            }
        }
        awaitCaughtUp(Instant.now().plusSeconds(300), 5);
        Instant end = Instant.now();
        long sent = sent() - sentBefore;
        long appliedInWindow = appliedNow() - appliedBefore;
        long produced = observer.changesProduced(start, end);
        Instant gone = restored == null ? end : restored;
        Instant slow = observer.lastDelayAtLeast(start, gone, FAST);
        Instant slowAfter = restored == null ? null : observer.lastDelayAtLeast(restored, end, FAST);
        Result result = new Result(fault, sent, produced, appliedInWindow, Math.max(0, appliedInWindow - produced),
                lostBetween(start, end), observer.regressions(start, end), observer.worstDelayMillis(start, gone),
                seconds(start, slow), restored == null ? -1 : seconds(start, restored),
                restored == null ? 0 : observer.worstDelayMillis(restored, end),
                restored == null ? 0 : seconds(restored, slowAfter), seconds(start, end));
        log.printf("%s %s: %s%n", end, fault, result);
        return result;
    }

    private static double seconds(Instant from, Instant to) {
        return to == null ? 0 : Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    /** Stops the load, waits for the store to converge, and compares it with the truth. */
    public Verdict finish(Duration limit) throws SQLException {
        load.close();
        deployment.simulator().changesPerSecond(0);
        Map<String, IntakeLoad.Accepted> truth = load.truth();
        long deadline = System.nanoTime() + limit.toNanos();
        int mismatches;
        boolean directoryEqual;
        int storeUsers;
        do {
            ClusterDeployment.pause(Duration.ofSeconds(2));
            mismatches = intakeMismatches(truth);
            storeUsers = storeUsers();
            directoryEqual = storeUsers == tenant.presentUsers()
                    && directoryChecksum().equals(tenant.checksum(ATTRIBUTES));
        } while ((mismatches > 0 || !directoryEqual) && System.nanoTime() < deadline);
        applied.readAll();
        ClusterDeployment.pause(Duration.ofSeconds(3));
        long lost = load.acceptedAt().keySet().stream().filter(id -> !observer.inKafka(id)).count();
        long produced = observer.changesProduced();
        return new Verdict(load.accepted(), tenant.sequence() - simulatorStart, produced, applied.total(),
                Math.max(0, applied.total() - produced), lost, truth.size(), mismatches, storeUsers,
                tenant.presentUsers(), directoryEqual, observer.regressions(), observer.regressionExamples(),
                load.retries());
    }

    /** The instance's count right before it goes, asked again for up to 5 s if it is too busy to answer. */
    private void readBeforeStop(Instance instance) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!applied.read(instance) && System.nanoTime() < deadline) {
            ClusterDeployment.pause(Duration.ofMillis(100));
        }
    }

    private long sent() {
        return load.accepted() + tenant.sequence();
    }

    private long appliedNow() {
        applied.readAll();
        return applied.total();
    }

    private long lostBetween(Instant from, Instant to) {
        // an accepted change reaches the topic within moments; give the observer a few seconds to see it
        ClusterDeployment.pause(Duration.ofSeconds(3));
        return load.acceptedAt().entrySet().stream()
                .filter(e -> !e.getValue().isBefore(from) && e.getValue().isBefore(to))
                .filter(e -> !observer.inKafka(e.getKey())).count();
    }

    /**
     * Waits until changes have been applied fast (under 1 s) in each of the last {@code seconds} seconds and no
     * partition holds more than about two seconds of its share of the load unapplied (a partition whose consumer died
     * shows no slow changes until someone applies them, so the applied changes alone cannot tell).
     */
    private void awaitCaughtUp(Instant deadline, int seconds) {
        ClusterDeployment.pause(Duration.ofSeconds(seconds));
        while (!observer.caughtUp(Instant.now(), seconds, FAST) || !partitionsCaughtUp()) {
            if (Instant.now().isAfter(deadline)) {
                log.printf("%s not caught up by the deadline%n", Instant.now());
                return;
            }
            ClusterDeployment.pause(Duration.ofMillis(500));
        }
    }

    /** Whether every partition's unapplied records are within two seconds of its share of the load. */
    private boolean partitionsCaughtUp() {
        try (Admin admin = deployment.kafka().admin()) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> done =
                    admin.listConsumerGroupOffsets(dev.profilesync.events.ConsumerGroups.PROFILE_APPLIER)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            done.keySet().stream().filter(p -> p.topic().equals(Topics.USER_CHANGES))
                    .forEach(p -> latest.put(p, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            double perPartition = (load.perSecond() + directoryRate) / Math.max(1, latest.size());
            long allowed = Math.max(10, Math.round(2 * perPartition));
            return ends.entrySet().stream().allMatch(e -> done.get(e.getKey()) == null
                    || e.getValue().offset() - done.get(e.getKey()).offset() <= allowed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false; // the cluster is busy failing over: not caught up
        }
    }

    private void killBroker(int node) {
        JvmProcess broker = deployment.kafka().node(node);
        log.printf("%s kill -9 kafka-%d%n", Instant.now(), node);
        broker.kill();
        awaitCaughtUp(Instant.now().plusSeconds(180), 5);
        restored = Instant.now();
        broker.start();
        deployment.kafka().awaitBrokers(KafkaCluster.NODES, Duration.ofMinutes(2));
        awaitFullyReplicated(Duration.ofMinutes(3));
        // move leadership (and the group and transaction coordinators) back to the restarted node now, inside this
        // fault's window, rather than whenever the brokers' periodic leader rebalance gets to it during a later fault
        try (Admin admin = deployment.kafka().admin()) {
            admin.electLeaders(org.apache.kafka.common.ElectionType.PREFERRED, null).partitions()
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            log.printf("%s preferred leader election: %s%n", Instant.now(), e);
        }
    }

    private static int otherThan(int controller) {
        return controller == 1 ? 2 : 1;
    }

    /** The directory-sync instance that reads Graph now: the one whose delta requests keep coming. */
    private Instance activeDirectorySync() {
        Map<String, Long> before = deployment.simulator().deltaRequestsByClient();
        ClusterDeployment.pause(Duration.ofSeconds(3));
        Map<String, Long> after = deployment.simulator().deltaRequestsByClient();
        for (Instance instance : deployment.instances(Service.DIRECTORY_SYNC)) {
            String client = GraphClients.SIMULATOR_TOKEN + ":directory-sync-" + instance.number();
            if (after.getOrDefault(client, 0L) > before.getOrDefault(client, 0L)) {
                return instance;
            }
        }
        throw new IllegalStateException("no directory-sync instance is reading: " + after);
    }

    /**
     * Waits until the applier group has applied records from a partition numbered {@code from} or above: producers
     * pick new partitions up when they refresh their metadata (every 5 minutes by default), the group when it does
     * (every 30 s).
     */
    private void awaitNewPartitionsApplied(int from, Duration limit) {
        boolean used = awaitAdmin(limit, "read the applier group's offsets", admin -> admin
                .listConsumerGroupOffsets(dev.profilesync.events.ConsumerGroups.PROFILE_APPLIER)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                .anyMatch(e -> e.getKey().topic().equals(Topics.USER_CHANGES) && e.getKey().partition() >= from
                        && e.getValue() != null && e.getValue().offset() > 0));
        log.printf(used ? "%s the applier group has applied records from the new partitions%n"
                : "%s no records applied from the new partitions within the limit%n", Instant.now());
    }

    /** A question to the cluster, asked until it answers yes. */
    @FunctionalInterface
    private interface AdminCheck {
        boolean done(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** Asks {@code check} once a second until it answers yes (true) or {@code limit} passes (false). */
    private boolean awaitAdmin(Duration limit, String what, AdminCheck check) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Admin admin = deployment.kafka().admin()) {
            while (System.nanoTime() < deadline) {
                if (check.done(admin)) {
                    return true;
                }
                ClusterDeployment.pause(Duration.ofSeconds(1));
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + what, e);
        }
    }

    /** Adds partitions to {@code directory.user-changes}; returns how many it had. */
    private int addPartitions(int more) {
        try (Admin admin = deployment.kafka().admin()) {
            int now = admin.describeTopics(Set.of(Topics.USER_CHANGES)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.USER_CHANGES).partitions().size();
            admin.createPartitions(Map.of(Topics.USER_CHANGES, NewPartitions.increaseTo(now + more))).all()
                    .get(30, TimeUnit.SECONDS);
            log.printf("%s %s: %d -> %d partitions%n", Instant.now(), Topics.USER_CHANGES, now, now + more);
            return now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot add partitions", e);
        }
    }

    /** Waits until every partition of every topic has all its replicas in sync again. */
    private void awaitFullyReplicated(Duration limit) {
        boolean full = awaitAdmin(limit, "describe the topics", admin -> {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            return described.values().stream().flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.isr().size() == p.replicas().size());
        });
        if (!full) {
            log.printf("%s some partitions are still under-replicated after %s%n", Instant.now(), limit);
        }
    }

    private int intakeMismatches(Map<String, IntakeLoad.Accepted> truth) throws SQLException {
        int mismatches = 0;
        try (Connection connection = deployment.storeConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT user_id, about_me, about_me_eid FROM profile WHERE user_id = ANY (?) AND present")) {
            query.setArray(1, connection.createArrayOf("text", truth.keySet().toArray()));
            Map<String, String[]> stored = new java.util.HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
                }
            }
            for (Map.Entry<String, IntakeLoad.Accepted> expected : truth.entrySet()) {
                if (tenant.userById(expected.getKey()).isEmpty()) {
                    continue; // the user left the directory meanwhile: the profile is deleted
                }
                String[] row = stored.get(expected.getKey());
                if (row == null || !expected.getValue().value().equals(row[0])
                        || !expected.getValue().eventId().equals(row[1])) {
                    mismatches++;
                }
            }
        }
        return mismatches;
    }

    private int storeUsers() throws SQLException {
        try (Connection connection = deployment.storeConnection();
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM profile WHERE present")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The store's side of {@link Tenant#checksum}: the same lines over the same fields of present users. */
    private String directoryChecksum() throws SQLException {
        TreeMap<String, String> lines = new TreeMap<>();
        try (Connection connection = deployment.storeConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT user_id, "
                        + String.join(", ", COLUMNS) + " FROM profile WHERE present")) {
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < COLUMNS.size(); i++) {
                    line.append(rows.getString(i + 2)).append('|');
                }
                lines.put(rows.getString(1), line.toString());
            }
        }
        StringBuilder all = new StringBuilder();
        lines.forEach((id, line) -> all.append(id).append('|').append(line).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public SnapshotObserver observer() {
        return observer;
    }

    public double directoryRate() {
        return directoryRate;
    }

    @Override
    public void close() {
        load.close();
        observer.close();
        applied.close();
    }
}
