package dev.profilesync.graph;

import java.net.URI;
import java.util.Map;

import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;

/**
 * Builds the Graph SDK client: client credentials from Entra when a tenant is given, otherwise a static bearer token
 * for the directory simulator. Either way the HTTP client comes from {@link GraphClientFactory}, so Graph's own
 * middleware (retry on 429/503/504 honouring Retry-After, redirects, compression) is in place.
 */
public final class GraphClients {

    private GraphClients() {
    }

    /**
     * @param baseUrl {@code https://graph.microsoft.com/v1.0} or the simulator's {@code /v1.0} URL
     * @param tenantId empty for the simulator
     */
    public static GraphServiceClient create(String baseUrl, String tenantId, String clientId, String clientSecret) {
        String host = URI.create(baseUrl).getHost();
        AuthenticationProvider authentication;
        if (tenantId != null && !tenantId.isBlank()) {
            var credential = new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(clientId)
                    .clientSecret(clientSecret).build();
            authentication = new AzureIdentityAuthenticationProvider(credential, new String[] {host},
                    "https://graph.microsoft.com/.default");
        } else {
            authentication = new BaseBearerTokenAuthenticationProvider(new StaticToken(host));
        }
        return new GraphServiceClient(new BaseGraphRequestAdapter(authentication, baseUrl,
                GraphClientFactory.create().build()));
    }

    /** A fixed token, for the directory simulator, which accepts any bearer token. */
    private record StaticToken(String host) implements AccessTokenProvider {

        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> context) {
            return "directory-simulator";
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator(host);
        }
    }
}
