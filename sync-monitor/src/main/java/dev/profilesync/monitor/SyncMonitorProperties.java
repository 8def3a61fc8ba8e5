package dev.profilesync.monitor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of sync-monitor, prefix {@code profile-sync.monitor}, validated at start-up. The groups it watches are
 * the contract's ({@code ConsumerGroups.WATCHED}), not settings, so they cannot drift from the groups the consumers
 * join.
 *
 * @param lag the consumer-lag monitor
 */
@Validated
@ConfigurationProperties("profile-sync.monitor")
public record SyncMonitorProperties(@Valid @NotNull Lag lag) {

    /** @param interval how often committed offsets and end offsets are read */
    public record Lag(@NotNull Duration interval) {
    }
}
