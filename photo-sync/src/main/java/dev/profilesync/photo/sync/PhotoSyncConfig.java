package dev.profilesync.photo.sync;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import com.microsoft.graph.serviceclient.GraphServiceClient;

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
        PhotoSyncProperties.Graph graph = properties.graph();
        return GraphClients.create(graph.baseUrl(), graph.tenantId(), graph.clientId(), graph.clientSecret());
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
    KafkaAdmin.NewTopics photoTopics() {
        return new KafkaAdmin.NewTopics(Topics.declaration(Topics.deadLetterOf(Topics.PHOTO_CHANGES), 1, (short) 0));
    }

    @Bean
    DefaultErrorHandler transientFaultRetries() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(60_000);
        return new DefaultErrorHandler(backOff);
    }

    @Bean
    DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaOperations<Object, Object> template) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> DeadLetters.destinationOf(record));
        recoverer.setHeadersFunction((record, exception) -> DeadLetters.reasonHeaders(exception));
        return recoverer;
    }
}
