package dev.profilesync.local;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The module boundaries, checked on the compiled main code of every module: a service never uses another service,
 * the contract and the Graph connection use no service, and inside a service the features keep to their lanes (the
 * applier's write path and read side share only the table's shape; the directory reader's lease knows nothing of
 * Graph). The embedded runner and the benchmark compose services and are left out.
 */
class ArchitectureTest {

    private static final String[] SERVICES = {"dev.profilesync.ingest..", "dev.profilesync.directory..",
        "dev.profilesync.applier..", "dev.profilesync.photo..", "dev.profilesync.monitor..",
        "dev.profilesync.simulator.."};

    static JavaClasses classes;

    @BeforeAll
    static void importMainCode() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/dev/profilesync/local/")
                        && !location.contains("/dev/profilesync/bench/"))
                .importPackages("dev.profilesync");
    }

    @Test
    void theImportSeesEveryServiceButNotTheComposers() {
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2])
                .distinct()).contains("ingest", "directory", "applier", "photo", "monitor", "events", "graph")
                .doesNotContain("local", "bench");
    }

    @Test
    void noServiceUsesAnotherService() {
        slices().matching("dev.profilesync.(*)..").namingSlices("$1")
                .should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                "dev.profilesync.events..", "dev.profilesync.graph..", "dev.profilesync.support.."))
                .check(classes);
    }

    @Test
    void theContractAndTheGraphConnectionUseNoService() {
        noClasses().that().resideInAnyPackage("dev.profilesync.events..", "dev.profilesync.graph..",
                "dev.profilesync.support..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICES)
                .check(classes);
        noClasses().that().resideInAPackage("dev.profilesync.events..")
                .should().dependOnClassesThat().resideInAPackage("dev.profilesync.graph..")
                .check(classes);
    }

    @Test
    void theApplierWritePathAndReadSideShareOnlyTheTable() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.profilesync.applier..")
                .layer("write").definedBy("dev.profilesync.applier.write..")
                .layer("read").definedBy("dev.profilesync.applier.read..")
                .layer("dead letters").definedBy("dev.profilesync.applier.deadletter..")
                .layer("table").definedBy("dev.profilesync.applier.store..")
                .layer("scim").definedBy("dev.profilesync.applier.scim..")
                .layer("snapshots").definedBy("dev.profilesync.applier.snapshot..")
                .whereLayer("write").mayOnlyBeAccessedByLayers("snapshots")
                .whereLayer("read").mayOnlyBeAccessedByLayers("scim", "snapshots")
                .whereLayer("scim").mayNotBeAccessedByAnyLayer()
                .whereLayer("snapshots").mayNotBeAccessedByAnyLayer()
                .whereLayer("dead letters").mayNotBeAccessedByAnyLayer()
                .whereLayer("table").mayOnlyBeAccessedByLayers("write", "read", "snapshots", "scim")
                .check(classes);
    }

    @Test
    void theDirectoryLeaseKnowsNothingOfGraphAndTheReaderNothingOfTheWebhook() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.profilesync.directory..")
                .layer("webhook").definedBy("dev.profilesync.directory.webhook..")
                .layer("reader").definedBy("dev.profilesync.directory.graph..")
                .layer("lease").definedBy("dev.profilesync.directory.leader..")
                .whereLayer("webhook").mayNotBeAccessedByAnyLayer()
                .whereLayer("reader").mayOnlyBeAccessedByLayers("webhook")
                .whereLayer("lease").mayOnlyBeAccessedByLayers("reader")
                .check(classes);
    }

    @Test
    void photoSyncStoresAndRendersWithoutKnowingWhereEventsComeFrom() {
        noClasses().that().resideInAnyPackage("dev.profilesync.photo.store..", "dev.profilesync.photo.thumbnail..")
                .should().dependOnClassesThat().resideInAPackage("dev.profilesync.photo.sync..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.profilesync.photo.thumbnail..")
                .should().dependOnClassesThat().resideInAPackage("dev.profilesync.photo.store..")
                .check(classes);
    }

    @Test
    void theIntakePublishesWithoutKnowingHttp() {
        noClasses().that().resideInAPackage("dev.profilesync.ingest.publish..")
                .should().dependOnClassesThat().resideInAPackage("dev.profilesync.ingest.http..")
                .check(classes);
    }
}
