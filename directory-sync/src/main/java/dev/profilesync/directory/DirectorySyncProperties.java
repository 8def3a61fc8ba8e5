package dev.profilesync.directory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.graph.GraphSettings;
import dev.profilesync.events.TopicSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of directory-sync, prefix {@code profile-sync.directory}, validated at start-up.
 *
 * @param tenant which tenant this reader serves; instances with the same tenant elect one active reader among them.
 *        Empty: the Graph tenant id, or {@code default} for the simulator
 * @param graph how to reach Microsoft Graph
 * @param deltaInterval time between scheduled delta rounds; a change notification starts one at once
 * @param photoSweepInterval time between sweeps comparing every user's photo media etag
 * @param photoBatchSize photo requests per {@code $batch} (at most 20)
 * @param photoConcurrency {@code $batch} requests of a photo sweep in flight at once (Graph allows 4 photo requests
 *        per app at a time)
 * @param publishTimeout how long publishing one page may wait for Kafka
 * @param webhook the change-notification subscription
 * @param lease the election of the active instance
 * @param topics how the service creates the contract topics when they do not exist
 * @param maxDeletionShare a full resynchronisation that would delete more than this share of the known users deletes
 *        none of them: it holds them back and waits for an operator to confirm (a Graph that wrongly lists too few
 *        users must not empty the store)
 */
@Validated
@ConfigurationProperties("profile-sync.directory")
public record DirectorySyncProperties(String tenant, @Valid @NotNull GraphSettings graph,
        @NotNull Duration deltaInterval, @NotNull Duration photoSweepInterval, @Min(1) @Max(20) int photoBatchSize,
        @Min(1) @Max(4) int photoConcurrency,
        @NotNull Duration publishTimeout, @Valid @NotNull Webhook webhook, @Valid @NotNull Lease lease,
        @Valid @NotNull TopicSettings topics, @DecimalMin("0.0") @DecimalMax("1.0") double maxDeletionShare) {

    /** The tenant key: the configured tenant, else the Graph tenant id, else {@code default}. */
    public String tenantKey() {
        if (tenant != null && !tenant.isBlank()) {
            return tenant;
        }
        return graph.entra() ? graph.tenantId() : "default";
    }

    /**
     * @param notificationUrl public URL of {@code /graph/notifications} on this service; empty: no subscription,
     *        scheduled rounds only
     * @param clientState secret echoed by Graph in every notification; notifications without it are rejected
     * @param lifetime how long a subscription lasts before it is renewed (renewed at two thirds of it)
     */
    public record Webhook(String notificationUrl, String clientState, @NotNull Duration lifetime) {

        @Override
        public String toString() {
            return "Webhook[notificationUrl=" + notificationUrl + ", clientState=***, lifetime=" + lifetime + "]";
        }
    }

    /**
     * @param sessionTimeout how long the active instance may be silent before another takes over (Kafka's consumer
     *        session timeout on the lease group)
     */
    public record Lease(@NotNull Duration sessionTimeout) {
    }
}
