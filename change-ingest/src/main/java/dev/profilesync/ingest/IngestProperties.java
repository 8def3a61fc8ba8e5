package dev.profilesync.ingest;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of change-ingest, prefix {@code profile-sync.ingest}, validated at start-up.
 *
 * @param intake the HTTP intake
 * @param topics how the service creates the contract topics when they do not exist
 * @param lag the consumer-lag monitor
 * @param graph reading the directory from Microsoft Graph
 */
@Validated
@ConfigurationProperties("profile-sync.ingest")
public record IngestProperties(@Valid @NotNull Intake intake, @Valid @NotNull TopicSettings topics,
        @Valid @NotNull Lag lag, @Valid @NotNull Graph graph) {

    /**
     * @param apiKeys clients allowed to post changes; each sends its key in {@code X-Api-Key}
     * @param maxBatchSize most changes in one request; more is answered with 413
     * @param maxBodySize largest request body; more is answered with 413
     * @param publishTimeout how long a request waits for Kafka to acknowledge the batch
     */
    public record Intake(@NotEmpty List<@Valid ApiClient> apiKeys, @Min(1) int maxBatchSize,
            @NotNull DataSize maxBodySize, @NotNull Duration publishTimeout) {
    }

    /** A client of the intake; the name appears in logs and metrics, the key never does. */
    public record ApiClient(@NotBlank String name, @NotBlank String key) {

        @Override
        public String toString() {
            return "ApiClient[name=" + name + ", key=***]";
        }
    }

    /**
     * @param enabled whether to read the directory from Graph at all
     * @param baseUrl Graph's base URL: {@code https://graph.microsoft.com/v1.0}, or the directory simulator's
     * @param tenantId Entra tenant; with client id and secret, tokens come from Entra (client credentials). Empty: a
     *        static token, for the simulator
     * @param clientSecret give it through the environment ({@code PROFILE_SYNC_INGEST_GRAPH_CLIENT_SECRET})
     * @param deltaInterval time between scheduled delta rounds; a change notification starts one at once
     * @param photoSweepInterval time between sweeps comparing every user's photo media etag
     * @param photoBatchSize photo requests per {@code $batch} (at most 20)
     * @param webhook the change-notification subscription
     */
    public record Graph(boolean enabled, String baseUrl, String tenantId, String clientId, String clientSecret,
            @NotNull Duration deltaInterval, @NotNull Duration photoSweepInterval, @Min(1) int photoBatchSize,
            @Valid @NotNull Webhook webhook) {

        @Override
        public String toString() {
            return "Graph[enabled=" + enabled + ", baseUrl=" + baseUrl + ", tenantId=" + tenantId + ", clientId="
                    + clientId + ", clientSecret=***]";
        }
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
     * @param interval how often committed offsets and end offsets are read
     * @param applierGroup consumer group of profile-applier
     * @param photoGroup consumer group of photo-sync
     */
    public record Lag(@NotNull Duration interval, @NotBlank String applierGroup, @NotBlank String photoGroup) {
    }

    /**
     * @param partitions partitions of a topic created by this service
     * @param replicationFactor replicas of a created topic; 0 takes the broker's {@code default.replication.factor}
     */
    public record TopicSettings(@Min(1) int partitions, @Min(0) short replicationFactor) {
    }
}
