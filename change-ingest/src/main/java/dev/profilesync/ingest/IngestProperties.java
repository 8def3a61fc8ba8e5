package dev.profilesync.ingest;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.events.TopicSettings;
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
 */
@Validated
@ConfigurationProperties("profile-sync.ingest")
public record IngestProperties(@Valid @NotNull Intake intake, @Valid @NotNull TopicSettings topics) {

    /**
     * @param apiKeys clients allowed to post changes; each sends its key in {@code X-Api-Key}
     * @param maxBatchSize most changes in one request; more is answered with 413
     * @param maxBodySize largest request body; more is answered with 413
     * @param publishTimeout how long a request waits for Kafka to acknowledge the batch
     * @param maxClockSkew how far in the future an {@code observedAt} may lie (a source's clock running ahead)
     */
    public record Intake(@NotEmpty List<@Valid ApiClient> apiKeys, @Min(1) int maxBatchSize,
            @NotNull DataSize maxBodySize, @NotNull Duration publishTimeout, @NotNull Duration maxClockSkew) {
    }

    /** A client of the intake; the name appears in logs and metrics, the key never does. */
    public record ApiClient(@NotBlank String name, @NotBlank String key) {

        @Override
        public String toString() {
            return "ApiClient[name=" + name + ", key=***]";
        }
    }
}
