package dev.profilesync.bench;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.profilesync.applier.ProfileApplierApplication;
import dev.profilesync.events.ConsumerGroups;
import io.micrometer.core.instrument.MeterRegistry;

/** The real profile-applier, started as in production, draining a pre-filled topic. */
final class Applier {

    private Applier() {
    }

    /**
     * A drain, clocked from the moment the settled consumers are let go to the moment the last change is applied.
     *
     * @param jvmCpu CPU-seconds of this JVM (the applier, and the broker when it runs here) in that interval
     * @param postgresCpu CPU-seconds of PostgreSQL in that interval
     */
    record Drain(double perSecond, double jvmCpu, double postgresCpu) {
    }

    /** A drain of {@code expected} changes. */
    static Drain run(String bootstrapServers, String jdbcUrl, int partitions, int consumers, long expected)
            throws InterruptedException {
        return run(bootstrapServers, jdbcUrl, partitions, consumers, expected,
                System.getProperty("bench.applier.args", ""));
    }

    /** A drain, with extra {@code --name=value} settings (space separated). */
    static Drain run(String bootstrapServers, String jdbcUrl, int partitions, int consumers, long expected,
            String extra) throws InterruptedException {
        return run(bootstrapServers, jdbcUrl, partitions, consumers, expected, extra, null);
    }

    /**
     * A drain; {@code beforeClock}, when given, runs once the consumers are let go and before the clock starts (it
     * puts the changes on a topic that was empty until then, in one transaction, so that nothing the instance does
     * with them falls before the clock).
     */
    static Drain run(String bootstrapServers, String jdbcUrl, int partitions, int consumers, long expected,
            String extra, Runnable beforeClock) throws InterruptedException {
        java.nio.file.Path keys;
        try {
            keys = dev.profilesync.local.LocalTokens.in(java.nio.file.Files.createTempDirectory("bench-jwt"))
                    .publicKey();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (ConfigurableApplicationContext context = ProfileApplierApplication.application().run(withExtra(extra,
                "--server.port=0", "--management.server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + keys,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.hikari.maximum-pool-size=" + (consumers + 1),
                "--profile-sync.applier.consumers=" + consumers,
                "--profile-sync.applier.topics.partitions=" + partitions,
                "--spring.kafka.listener.auto-startup=false"))) {
            // -Dbench.applier.sql="...;...": statements run on the migrated store before the drain (e.g. dropping
            // indexes, to see what they cost the writes)
            String sql = System.getProperty("bench.applier.sql", "");
            if (!sql.isBlank()) {
                try (java.sql.Connection connection = java.sql.DriverManager.getConnection(jdbcUrl);
                        java.sql.Statement statement = connection.createStatement()) {
                    for (String each : sql.split(";")) {
                        if (!each.isBlank()) {
                            statement.execute(each.trim());
                        }
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("bench.applier.sql failed", e);
                }
            }
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            MessageListenerContainer container = context.getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer(ConsumerGroups.PROFILE_APPLIER);
            // measure the steady state: hold the consumers until the group has settled with every partition assigned,
            // so that the join and the cooperative rebalance rounds are not counted as throughput
            container.pause();
            container.start();
            awaitSettled(container, partitions, consumers);
            container.resume();
            if (beforeClock != null) {
                beforeClock.run();
            }
            double self = CpuClock.self();
            double postgres = CpuClock.postgres();
            double perSecond = Throughput.fromNow(() -> (long) registry.find("profile_sync_applier_changes_applied")
                    .counters().stream().mapToDouble(c -> c.count()).sum(), expected);
            return new Drain(perSecond, CpuClock.self() - self, CpuClock.postgres() - postgres);
        }
    }

    /** The arguments, then the extra ones (later arguments win). */
    private static String[] withExtra(String extra, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        java.util.Arrays.stream(extra.trim().split("\\s+")).filter(arg -> !arg.isEmpty()).forEach(all::add);
        return all.toArray(String[]::new);
    }

    /** Waits until each consumer has partitions, all partitions are assigned, and that has held for a second. */
    private static void awaitSettled(MessageListenerContainer container, int partitions, int consumers)
            throws InterruptedException {
        long deadline = System.nanoTime() + Throughput.LIMIT.toNanos();
        Map<String, java.util.Set<TopicPartition>> stable = null;
        long stableSince = 0;
        while (System.nanoTime() < deadline) {
            Map<String, java.util.Set<TopicPartition>> now = new java.util.HashMap<>();
            Map<String, Collection<TopicPartition>> live = container.getAssignmentsByClientId();
            if (live != null) {
                live.forEach((client, assigned) -> now.put(client, java.util.Set.copyOf(assigned)));
            }
            boolean complete = now.size() == consumers
                    && now.values().stream().allMatch(assigned -> !assigned.isEmpty())
                    && now.values().stream().mapToInt(Collection::size).sum() == partitions;
            if (!complete) {
                stable = null;
            } else if (!now.equals(stable)) {
                stable = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 1_000_000_000L) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the consumer group did not settle: " + container.getAssignmentsByClientId());
    }
}
