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
 * @param status the live status page
 */
@Validated
@ConfigurationProperties("profile-sync.monitor")
public record SyncMonitorProperties(@Valid @NotNull Lag lag, @Valid @NotNull Status status) {

    /**
     * @param applierManagementUrl where the page's replay button sends {@code POST /actuator/deadletters} (with the
     *        operator's own token)
     * @param directorySyncUrls management URLs of the directory-sync instances, read for the directory reader's health
     * @param refresh how often dead letters and the directory reader's health are read
     */
    public record Status(@NotNull java.net.URI applierManagementUrl, @NotNull java.util.List<java.net.URI>
            directorySyncUrls, @NotNull Duration refresh) {
    }

    /** @param interval how often committed offsets and end offsets are read */
    public record Lag(@NotNull Duration interval) {
    }
}
