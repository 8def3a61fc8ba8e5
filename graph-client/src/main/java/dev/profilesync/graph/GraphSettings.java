package dev.profilesync.graph;

import jakarta.validation.constraints.NotBlank;

/**
 * How a service reaches Microsoft Graph. Bound under each service's own prefix ({@code profile-sync.directory.graph},
 * {@code profile-sync.photo.graph}); the secret never appears in {@link #toString()}, so settings can be logged.
 *
 * @param baseUrl {@code https://graph.microsoft.com/v1.0}, or the directory simulator's {@code /v1.0} URL
 * @param tenantId Entra tenant; with client id and secret, tokens come from Entra (client credentials). Empty: a
 *        static token, for the directory simulator
 * @param clientId the Entra app (client) id
 * @param clientSecret give it through the environment, never in a file under version control
 */
public record GraphSettings(@NotBlank String baseUrl, String tenantId, String clientId, String clientSecret) {

    /** Whether tokens come from Entra (a real tenant) rather than the simulator's static token. */
    public boolean entra() {
        return tenantId != null && !tenantId.isBlank();
    }

    @Override
    public String toString() {
        return "GraphSettings[baseUrl=" + baseUrl + ", tenantId=" + tenantId + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null || clientSecret.isEmpty() ? "(none)" : "***") + "]";
    }
}
