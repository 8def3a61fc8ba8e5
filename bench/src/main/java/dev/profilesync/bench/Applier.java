package dev.profilesync.bench;

import org.springframework.context.ConfigurableApplicationContext;

import dev.profilesync.applier.ProfileApplierApplication;
import io.micrometer.core.instrument.MeterRegistry;

/** The real profile-applier, started as in production, draining a pre-filled topic. */
final class Applier {

    private Applier() {
    }

    /** Changes per second. */
    static double run(String bootstrapServers, String jdbcUrl, int partitions, int consumers, long expected)
            throws InterruptedException {
        try (ConfigurableApplicationContext context = ProfileApplierApplication.application().run(
                "--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.hikari.maximum-pool-size=" + (consumers + 1),
                "--profile-sync.applier.consumers=" + consumers,
                "--profile-sync.applier.topics.partitions=" + partitions)) {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            return Throughput.measure(() -> (long) registry.find("profile_sync_applier_changes_applied").counters()
                    .stream().mapToDouble(c -> c.count()).sum(), expected);
        }
    }
}
