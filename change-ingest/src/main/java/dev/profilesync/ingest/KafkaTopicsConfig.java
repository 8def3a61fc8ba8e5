package dev.profilesync.ingest;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.profilesync.events.KafkaReadiness;
import dev.profilesync.events.Topics;

/**
 * Declares the topics this service writes to, from the contract's declarations, so that a fresh cluster works without
 * manual steps. Existing topics are left as they are; partitions are only ever added by an operator (see the README).
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

    @Bean
    KafkaAdmin.NewTopics contractTopics(IngestProperties properties) {
        return properties.topics().declare(Topics.USER_CHANGES_TOPIC, Topics.PHOTO_REQUESTS_TOPIC);
    }

    /** Readiness: Kafka answers. */
    @Bean
    KafkaReadiness kafka(KafkaProperties kafka) {
        return new KafkaReadiness(kafka.buildAdminProperties());
    }
}
