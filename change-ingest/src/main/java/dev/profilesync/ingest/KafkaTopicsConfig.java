package dev.profilesync.ingest;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.profilesync.events.Topics;

/**
 * Declares the topics this service writes to, so that a fresh cluster works without manual steps. Existing topics
 * are left as they are; partitions are only ever added by an operator (see the README).
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

    @Bean
    KafkaAdmin.NewTopics contractTopics(IngestProperties properties) {
        IngestProperties.TopicSettings topics = properties.topics();
        NewTopic state = Topics.declaration(Topics.INGEST_STATE, 1, topics.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        return new KafkaAdmin.NewTopics(
                Topics.declaration(Topics.USER_CHANGES, topics.partitions(), topics.replicationFactor()),
                Topics.declaration(Topics.PHOTO_CHANGES, topics.partitions(), topics.replicationFactor()), state);
    }
}
