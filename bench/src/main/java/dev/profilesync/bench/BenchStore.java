package dev.profilesync.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.UserEvent;

import dev.profilesync.applier.write.BatchMerger;
import dev.profilesync.applier.write.FieldOwnership;
import dev.profilesync.applier.write.ProfileWriter;

/**
 * The applier's merge and store on a migrated PostgreSQL schema, for the benchmark's ceiling (many changes per
 * transaction) and per-record peer (one change per transaction). It runs exactly the applier's code and SQL,
 * through the write path's public API.
 */
final class BenchStore {

    private final ProfileWriter store;
    private final BatchMerger merger = new BatchMerger(new FieldOwnership(Map.of(FieldOwner.DIRECTORY,
            List.of("graph"))), BatchMerger.Refusals.UNCOUNTED);

    public BenchStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/profile-applier/postgresql").load()
                .migrate();
        this.store = new ProfileWriter(dataSource,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** Merges the changes and writes them in one transaction; returns when it has committed. */
    public void apply(List<? extends UserEvent> events) {
        store.apply(merger.merge(events), Instant.now());
    }

    /** Writes one change in its own transaction, as a per-record listener would. */
    public void apply(UserEvent event) {
        apply(List.of(event));
    }
}
