package dev.profilesync.photo.sync;

import java.time.Duration;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
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
    PhotoLanes photoLanes(PhotoSyncProperties properties, KafkaProperties kafka) {
        if (properties.bulkRate() > 0) {
            // a bulk thread must finish a poll's records within max.poll.interval.ms, or the group throws it out
            Integer configured = kafka.getConsumer().getMaxPollRecords();
            int records = configured == null ? 500 : configured;
            long interval = Long.parseLong(kafka.getConsumer().getProperties()
                    .getOrDefault("max.poll.interval.ms", "300000"));
            double seconds = (double) records * properties.consumers() / properties.bulkRate();
            if (seconds * 1000 > interval) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, "profile-sync.photo.bulk-rate %s"
                        + " is too low for %d bulk consumers with %d records a poll: a poll would take %.0f s, more"
                        + " than max.poll.interval.ms (%d ms); raise the rate or lower the consumers",
                        properties.bulkRate(), properties.consumers(), records, seconds, interval));
            }
        }
        return new PhotoLanes(properties.graphConcurrency(), properties.bulkRate());
    }

    /**
     * A paused container stops at once ({@link ProfileBacklogGate}): the records of its last poll not yet started are
     * fetched again on resume instead of being worked through first (at 20 photos a second, eight bulk threads' polls
     * are eight seconds of work).
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pauseImmediately() {
        return container -> container.getContainerProperties().setPauseImmediate(true);
    }

    @Bean
    DefaultErrorHandler transientFaultRetries() {
        return DeadLetters.transientFaultRetries(Duration.ofMillis(500), Duration.ofMinutes(1));
    }
}
