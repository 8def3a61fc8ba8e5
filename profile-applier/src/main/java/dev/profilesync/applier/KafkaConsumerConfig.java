package dev.profilesync.applier;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

import dev.profilesync.events.ConsumerServiceConfig;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.Topics;

/**
 * Error handling of the applier. Poison records are dead-lettered by the listener itself, record by record, with the
 * cause in the headers. Whatever else fails a batch (the database is down, a deadlock, a cut connection) is transient:
 * the whole batch is retried with back-off, forever, while the consumer stays paused and the lag grows; nothing of it
 * is dead-lettered and no offset moves past it.
 */
@Configuration(proxyBeanMethods = false)
@Import(ConsumerServiceConfig.class)
class KafkaConsumerConfig {

    @Bean
    KafkaAdmin.NewTopics applierTopics(ApplierProperties properties) {
        return properties.topics().declare(Topics.USER_CHANGES_TOPIC, Topics.PROFILE_SNAPSHOTS_TOPIC);
    }

    @Bean
    DefaultErrorHandler transientFaultRetries() {
        return DeadLetters.transientFaultRetries(Duration.ofMillis(200), Duration.ofSeconds(30));
    }
}
