package dev.profilesync.monitor;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.profilesync.events.KafkaReadiness;

/** sync-monitor is ready when Kafka answers: it reads nothing else. */
@Configuration(proxyBeanMethods = false)
class MonitorHealthConfig {

    @Bean
    KafkaReadiness kafka(KafkaProperties kafka) {
        return new KafkaReadiness(kafka.buildAdminProperties());
    }
}
