package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.profilesync.local.cluster.ClusterDeployment;
import dev.profilesync.local.cluster.FaultRun;

/**
 * The reduced form of {@code bench/run-cluster}: a real three-broker cluster (separate broker processes, replication
 * factor 3, min.insync.replicas=2), PostgreSQL behind a cuttable proxy, and change-ingest, directory-sync and two
 * profile-appliers as separate JVMs, under a steady load from the HTTP intake and the simulated directory. The active
 * controller is killed with SIGKILL, then an applier, then the store's connections are cut: after each the sync delay
 * falls below one second again, and at the end nothing the intake accepted is lost, the snapshot stream never went
 * back, and the store equals the truth (the tenant's, and the intake client's own record).
 */
class ClusterFaultsIT {

    @TempDir
    static Path directory;

    @Test
    void nothingIsLostAndTheStoreConvergesThroughBrokerApplierAndDatabaseFaults() throws Exception {
        PostgresSchema.create().close(); // skips without PostgreSQL (fails in CI)
        ClusterDeployment.Shape shape = new ClusterDeployment.Shape(1, 1, 2, 0, 0, 6, 300, 2);
        List<FaultRun.Result> results = new ArrayList<>();
        FaultRun.Verdict verdict;
        try (ClusterDeployment deployment = ClusterDeployment.start(directory, shape,
                ClusterDeployment.Launcher.fromClassPath());
                FaultRun run = new FaultRun(deployment, 40, 5, 300, System.out)
                        .databaseCut(Duration.ofSeconds(10))) {
            run.awaitSteady(Duration.ofMinutes(3));
            for (FaultRun.Fault fault : List.of(FaultRun.Fault.CONTROLLER, FaultRun.Fault.APPLIER,
                    FaultRun.Fault.DATABASE)) {
                results.add(run.run(fault));
            }
            verdict = run.finish(Duration.ofMinutes(3));
        }
        System.out.println(verdict);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.lost()).as("%s: accepted changes that never reached Kafka", result.fault()).isZero();
            assertThat(result.regressions()).as("%s: regressions", result.fault()).isZero();
            assertThat(result.applied()).as("%s: changes applied during the fault", result.fault()).isPositive();
        });
        assertThat(verdict.lostBeforeKafka()).isZero();
        assertThat(verdict.intakeMismatches()).as("users whose newest accepted change is not in the store").isZero();
        assertThat(verdict.directoryEqual()).as("store equals the tenant").isTrue();
        assertThat(verdict.regressions()).isZero();
        assertThat(verdict.accepted()).isPositive();
    }
}
