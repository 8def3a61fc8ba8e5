package dev.profilesync.ingest.graph;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.graph.GraphClients;
import dev.profilesync.ingest.IngestProperties;

/** The Graph SDK client of change-ingest, when Graph ingest is enabled. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "profile-sync.ingest.graph.enabled", havingValue = "true")
class GraphClientConfig {

    @Bean(destroyMethod = "")
    GraphServiceClient graphClient(IngestProperties properties) {
        IngestProperties.Graph graph = properties.graph();
        return GraphClients.create(graph.baseUrl(), graph.tenantId(), graph.clientId(), graph.clientSecret());
    }
}
