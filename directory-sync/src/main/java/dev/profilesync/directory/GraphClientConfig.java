package dev.profilesync.directory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.graph.GraphClients;

/** The Graph SDK client of directory-sync. */
@Configuration(proxyBeanMethods = false)
class GraphClientConfig {

    @Bean(destroyMethod = "")
    GraphServiceClient graphClient(DirectorySyncProperties properties) {
        return GraphClients.create(properties.graph());
    }
}
