package dev.profilesync.applier.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import dev.profilesync.applier.write.StoreFailures.Kind;

class StoreFailuresTest {

    private static RuntimeException sql(String state) {
        return new UncategorizedSQLException("upsert", "INSERT ...", new SQLException("failed", state));
    }

    @Test
    void connectionLossesDeadlocksAndShutdownsAreTransient() {
        assertThat(StoreFailures.classify(sql("08006"))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(sql("40P01"))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(sql("40001"))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(sql("57P01"))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(sql("53300"))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(new CannotGetJdbcConnectionException("pool",
                new SQLTransientConnectionException("timeout")))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aFailedPublicationIsTransientWhateverItFailedWith() {
        assertThat(StoreFailures.classify(new PublicationFailedException(new IllegalStateException(
                "producer closed")))).isEqualTo(Kind.TRANSIENT);
        assertThat(StoreFailures.classify(new PublicationFailedException(new ArithmeticException("overflow"))))
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void refusedValuesAreTheRecordsFault() {
        assertThat(StoreFailures.classify(sql("22003"))).isEqualTo(Kind.RECORD);
        assertThat(StoreFailures.classify(sql("22021"))).isEqualTo(Kind.RECORD);
        assertThat(StoreFailures.classify(new DataIntegrityViolationException("check",
                new SQLException("check violation", "23514")))).isEqualTo(Kind.RECORD);
        assertThat(StoreFailures.classify(new ArithmeticException("long overflow"))).isEqualTo(Kind.RECORD);
    }

    @Test
    void whatNobodyKnowsIsUnclassified() {
        assertThat(StoreFailures.classify(sql("42P01"))).isEqualTo(Kind.UNCLASSIFIED);
        assertThat(StoreFailures.classify(sql(null))).isEqualTo(Kind.UNCLASSIFIED);
        assertThat(StoreFailures.sqlState(sql("42P01"))).isEqualTo("42P01");
    }
}
