package dev.profilesync.directory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

import dev.profilesync.events.KafkaReadiness;
import dev.profilesync.events.Topics;

/** Declares the topics directory-sync writes, its state and its lease, so a fresh cluster works without manual steps. */
@Configuration(proxyBeanMethods = false)
class DirectoryTopicsConfig {

    @Bean
    KafkaAdmin.NewTopics directoryTopics(DirectorySyncProperties properties) {
        return properties.topics().declare(Topics.USER_CHANGES_TOPIC, Topics.PHOTO_CHANGES_TOPIC,
                Topics.INGEST_STATE_TOPIC, Topics.DIRECTORY_SYNC_LEASE_TOPIC);
    }

    /** Readiness: Kafka answers. */
    @Bean
    KafkaReadiness kafka(KafkaProperties kafka) {
        return new KafkaReadiness(kafka.buildAdminProperties());
    }
}
