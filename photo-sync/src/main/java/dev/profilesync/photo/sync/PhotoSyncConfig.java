package dev.profilesync.photo.sync;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.events.ListenerLiveness;
import dev.profilesync.events.KafkaReadiness;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.Topics;
import dev.profilesync.graph.GraphClients;
import dev.profilesync.photo.PhotoSyncProperties;
import dev.profilesync.photo.store.FileSystemPhotoStore;
import dev.profilesync.photo.store.PhotoStore;
import dev.profilesync.photo.thumbnail.ThumbnailRenderer;

/**
 * Wiring of photo-sync. Records that break the contract are dead-lettered; a photo that cannot make thumbnails is
 * skipped with a reason (not an error); anything else (Graph throttled beyond the SDK's retries, the store's disk) is
 * transient and retried with back-off.
 */
@Configuration(proxyBeanMethods = false)
class PhotoSyncConfig {

    @Bean(destroyMethod = "")
    GraphServiceClient graphClient(PhotoSyncProperties properties) {
        return GraphClients.create(properties.graph());
    }

    @Bean
    PhotoStore photoStore(PhotoSyncProperties properties) {
        return new FileSystemPhotoStore(properties.store());
    }

    @Bean
    ThumbnailRenderer thumbnailRenderer(PhotoSyncProperties properties) {
        PhotoSyncProperties.Limits limits = properties.limits();
        return new ThumbnailRenderer(new ThumbnailRenderer.Limits(limits.maxSize().toBytes(), limits.maxPixels(),
                limits.maxAspectRatio()));
    }

    @Bean
    KafkaAdmin.NewTopics photoTopics(PhotoSyncProperties properties) {
        return properties.topics().declare(Topics.PHOTO_CHANGES_TOPIC);
    }

    @Bean
    DefaultErrorHandler transientFaultRetries() {
        return DeadLetters.transientFaultRetries(Duration.ofMillis(500), Duration.ofMinutes(1));
    }

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
