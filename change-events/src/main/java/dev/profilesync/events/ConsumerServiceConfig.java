package dev.profilesync.events;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * What every consumer service of the contract topics wires the same way, imported by each: the dead-letter routing
 * ({@link DeadLetters#recoverer}), readiness on Kafka ({@link KafkaReadiness}, health contributor {@code kafka}) and
 * liveness on its listener containers ({@link ListenerLiveness}, health contributor {@code listeners}). Only the
 * retry back-off differs per service, so it stays with each.
 */
@Configuration(proxyBeanMethods = false)
public class ConsumerServiceConfig {

    @Bean
    DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaOperations<Object, Object> template) {
        return DeadLetters.recoverer(template);
    }

    /** Readiness: Kafka answers. */
    @Bean
    KafkaReadiness kafka(KafkaProperties kafka) {
        return new KafkaReadiness(kafka.buildAdminProperties());
    }

    /** Liveness: no listener container stopped on its own. */
    @Bean
    ListenerLiveness listeners(KafkaListenerEndpointRegistry registry) {
        return new ListenerLiveness(registry);
    }
}
