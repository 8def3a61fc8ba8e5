package dev.profilesync.applier.profile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.UserEvent;

/**
 * The applier's store used the textbook way, for the benchmark's per-record peer: every change is merged and written
 * on its own, with the same convergent upsert, in its own transaction. It lives in the applier's package to run
 * exactly the applier's SQL.
 */
public final class PerRecordStore {

    private final ProfileStore store;
    private final BatchMerger merger = new BatchMerger(new FieldOwnership(Map.of(FieldOwner.DIRECTORY,
            List.of("graph"))), BatchMerger.Refusals.UNCOUNTED);

    public PerRecordStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/profile-applier/postgresql").load()
                .migrate();
        this.store = new ProfileStore(dataSource,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** Writes one change; returns when its transaction has committed. */
    public void apply(UserEvent event) {
        store.apply(merger.merge(List.of(event)), Instant.now());
    }
}
