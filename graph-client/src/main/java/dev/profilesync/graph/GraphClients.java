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

    /** The bearer token sent to the directory simulator. */
    public static final String SIMULATOR_TOKEN = "directory-simulator";

    private GraphClients() {
    }

    /** A client for these settings; for the simulator the static token names the client id, so it can tell us apart. */
    public static GraphServiceClient create(GraphSettings settings) {
        String host = URI.create(settings.baseUrl()).getHost();
        AuthenticationProvider authentication;
        if (settings.entra()) {
            var credential = new ClientSecretCredentialBuilder().tenantId(settings.tenantId())
                    .clientId(settings.clientId()).clientSecret(settings.clientSecret()).build();
            authentication = new AzureIdentityAuthenticationProvider(credential, new String[] {host},
                    "https://graph.microsoft.com/.default");
        } else {
            String client = settings.clientId() == null || settings.clientId().isBlank() ? "" : settings.clientId();
            authentication = new BaseBearerTokenAuthenticationProvider(new StaticToken(host, client));
        }
        return new GraphServiceClient(new BaseGraphRequestAdapter(authentication, settings.baseUrl(),
                GraphClientFactory.create().build()));
    }

    /**
     * A fixed token for the directory simulator, which accepts any bearer token and counts requests per token:
     * {@value #SIMULATOR_TOKEN}, followed by {@code :<client id>} when one is set.
     */
    private record StaticToken(String host, String client) implements AccessTokenProvider {

        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> context) {
            return client.isEmpty() ? SIMULATOR_TOKEN : SIMULATOR_TOKEN + ":" + client;
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return new AllowedHostsValidator(host);
        }
    }
}
