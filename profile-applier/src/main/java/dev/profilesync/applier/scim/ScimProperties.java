package dev.profilesync.applier.scim;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.events.Identifiers;
import dev.profilesync.events.Sources;
import dev.profilesync.support.security.SecretHashes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * SCIM provisioning settings, prefix {@code profile-sync.applier.scim}.
 *
 * @param clients the provisioning clients; none: every SCIM request is refused
 * @param readYourWrites how long a write waits for the applier to store it before answering (reads overlay what is
 *        still pending either way)
 * @param maxBodySize largest request body
 * @param maxResults most resources in one list response ({@code count} is capped to it)
 */
@Validated
@ConfigurationProperties("profile-sync.applier.scim")
public record ScimProperties(@Valid List<Client> clients, @NotNull Duration readYourWrites,
        @NotNull DataSize maxBodySize, @Min(1) int maxResults) {

    public ScimProperties {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /**
     * One provisioning client: Entra ID's "secret token", Okta's "HTTP header" bearer token.
     *
     * @param name shown in logs and metrics
     * @param token the bearer token (32 characters or more), or
     * @param tokenSha256 only its SHA-256 in hex
     * @param source the source its changes carry, e.g. {@code scim-okta}: it must be listed among the applier's
     *        directory sources ({@code ownership.directory}), and can be neither {@code graph} nor {@code photo-sync}
     */
    public record Client(@NotBlank String name, String token, String tokenSha256, @NotBlank String source) {

        public static final int MIN_TOKEN_LENGTH = 32;

        public Client {
            boolean plain = token != null && !token.isBlank();
            boolean hashed = tokenSha256 != null && !tokenSha256.isBlank();
            if (plain == hashed) {
                throw new IllegalArgumentException("SCIM client " + name + ": give exactly one of token and "
                        + "token-sha256");
            }
            if (plain && token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("SCIM client " + name + ": the token must have at least "
                        + MIN_TOKEN_LENGTH + " characters");
            }
            if (hashed && !tokenSha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("SCIM client " + name + ": token-sha256 must be 64 hex digits");
            }
            if (!Identifiers.isSource(source) || Sources.RESERVED.contains(source)) {
                throw new IllegalArgumentException("SCIM client " + name + ": '" + source
                        + "' is not a source a provisioning client may use");
            }
        }

        /** The SHA-256 of the token, the only form in which it is compared. */
        public byte[] tokenHash() {
            return hashed() ? HexFormat.of().parseHex(tokenSha256.toLowerCase(Locale.ROOT)) : SecretHashes.sha256(token);
        }

        private boolean hashed() {
            return tokenSha256 != null && !tokenSha256.isBlank();
        }

        @Override
        public String toString() {
            return "Client[name=" + name + ", token=***, source=" + source + "]";
        }
    }
}
