package dev.profilesync.applier.read;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.validation.annotation.Validated;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The read API's own connections to the profile store, apart from the writers' pool: a burst of searches waits for a
 * read connection, never takes one a consumer thread needs to apply a poll, and a slow query is cut off by the
 * statement timeout (PostgreSQL) instead of holding a connection. Same database and credentials as
 * {@code spring.datasource}; read-only connections.
 */
public final class ReadPool implements DisposableBean {

    /**
     * Settings, prefix {@code profile-sync.applier.reads}.
     *
     * @param connections connections of the read pool
     * @param statementTimeout a read query running longer is cancelled (PostgreSQL), and the request answers 503
     */
    @Validated
    @ConfigurationProperties("profile-sync.applier.reads")
    public record Settings(@Min(1) @Max(100) int connections, @NotNull Duration statementTimeout) {
    }

    private final HikariDataSource dataSource;

    public ReadPool(DataSourceProperties database, Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("profile-reads");
        config.setJdbcUrl(database.determineUrl());
        config.setUsername(database.determineUsername());
        config.setPassword(database.determinePassword());
        if (database.getDriverClassName() != null) {
            config.setDriverClassName(database.getDriverClassName());
        }
        config.setMaximumPoolSize(settings.connections());
        config.setMinimumIdle(1);
        config.setReadOnly(true);
        config.setConnectionTimeout(5_000);
        // no connection at start-up: the migrations (on the writers' pool) must have created the schema first
        config.setInitializationFailTimeout(-1);
        if (database.determineUrl().startsWith("jdbc:postgresql:")) {
            config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis());
        }
        this.dataSource = new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
