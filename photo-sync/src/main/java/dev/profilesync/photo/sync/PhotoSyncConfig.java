package dev.profilesync.photo.sync;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.events.ConsumerServiceConfig;
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
@Import(ConsumerServiceConfig.class)
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
        return properties.topics().declare(Topics.PHOTO_CHANGES_TOPIC, Topics.PHOTO_REQUESTS_TOPIC);
    }

    @Bean
    PhotoLanes photoLanes(PhotoSyncProperties properties) {
        return new PhotoLanes(properties.graphConcurrency());
    }

    @Bean
    DefaultErrorHandler transientFaultRetries() {
        return DeadLetters.transientFaultRetries(Duration.ofMillis(500), Duration.ofMinutes(1));
    }
}
