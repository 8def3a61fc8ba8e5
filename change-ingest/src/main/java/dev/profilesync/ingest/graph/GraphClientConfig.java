package dev.profilesync.ingest.graph;

import java.net.URI;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;

import dev.profilesync.ingest.IngestProperties;

/**
 * The Graph SDK client: client credentials from Entra when a tenant is configured, otherwise a static bearer token
 * for the directory simulator. Either way the HTTP client comes from {@link GraphClientFactory}, so Graph's own
 * middleware (retry on 429/503/504 honouring Retry-After, redirects, compression) is in place.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "profile-sync.ingest.graph.enabled", havingValue = "true")
class GraphClientConfig {

    @Bean(destroyMethod = "")
    GraphServiceClient graphClient(IngestProperties properties) {
        IngestProperties.Graph graph = properties.graph();
        String host = URI.create(graph.baseUrl()).getHost();
        AuthenticationProvider authentication;
        if (graph.tenantId() != null && !graph.tenantId().isBlank()) {
            var credential = new ClientSecretCredentialBuilder().tenantId(graph.tenantId()).clientId(graph.clientId())
                    .clientSecret(graph.clientSecret()).build();
            authentication = new AzureIdentityAuthenticationProvider(credential, new String[] {host},
                    "https://graph.microsoft.com/.default");
        } else {
            authentication = new BaseBearerTokenAuthenticationProvider(new StaticToken(host));
        }
        var http = GraphClientFactory.create().build();
        return new GraphServiceClient(new BaseGraphRequestAdapter(authentication, graph.baseUrl(), http));
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
