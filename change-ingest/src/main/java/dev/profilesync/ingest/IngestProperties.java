package dev.profilesync.ingest;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.events.TopicSettings;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.Sources;
import dev.profilesync.support.security.SecretHashes;
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

    /**
     * A client of the intake, checked at start-up: its name appears in logs and metrics, its key never does. The key
     * is kept only as a SHA-256 hash and compared in constant time.
     *
     * @param key the key, at least {@value #MIN_KEY_LENGTH} characters; give it through the environment
     * @param keySha256 instead of {@code key}: the hex SHA-256 of the key, so the key itself is in no configuration
     * @param sources the sources this client may claim in its changes; never a reserved one ({@code graph},
     *        {@code photo-sync})
     */
    public record ApiClient(@NotBlank String name, String key, String keySha256, List<String> sources) {

        public static final int MIN_KEY_LENGTH = 24;

        public ApiClient {
            boolean plain = key != null && !key.isBlank();
            boolean hashed = keySha256 != null && !keySha256.isBlank();
            if (plain == hashed) {
                throw new IllegalArgumentException("intake client " + name + ": give exactly one of key and "
                        + "key-sha256");
            }
            if (plain && key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("intake client " + name + ": the key must have at least "
                        + MIN_KEY_LENGTH + " characters");
            }
            if (hashed && !keySha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("intake client " + name + ": key-sha256 must be 64 hex digits");
            }
            if (sources == null || sources.isEmpty()) {
                throw new IllegalArgumentException("intake client " + name + ": list the sources it may claim");
            }
            for (String source : sources) {
                if (!Identifiers.isSource(source) || Sources.RESERVED.contains(source)) {
                    throw new IllegalArgumentException("intake client " + name + ": '" + source
                            + "' is not a source an intake client may claim");
                }
            }
            sources = List.copyOf(sources);
        }

        /** The SHA-256 of the key; the only form in which the intake compares it. */
        public byte[] keyHash() {
            if (keySha256 != null && !keySha256.isBlank()) {
                return HexFormat.of().parseHex(keySha256.toLowerCase(java.util.Locale.ROOT));
            }
            return SecretHashes.sha256(key);
        }

        @Override
        public String toString() {
            return "ApiClient[name=" + name + ", key=***, sources=" + sources + "]";
        }
    }

}
