package dev.profilesync.photo.sync;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.DeadLetters;
import dev.profilesync.events.InvalidEventException;
import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes the two photo lanes, one record at a time (each is a download and a render): {@code directory.photo-changes}
 * (bulk: new users, detected changes, sweeps) and {@code directory.photo-requests} (the priority lane: syncs somebody
 * asked for), each with its own consumers and group, so a request is never queued behind the bulk backlog, and
 * {@link PhotoLanes} gives it Graph and the cores first. Records that break the contract, and requests Graph refuses
 * for good, go to the lane's dead-letter topic; the rest are synced, and offsets move only after that. Anything else
 * (Graph throttling or failing, Kafka, the disk) is retried.
 */
@Component
class PhotoChangesListener {

    private static final Logger log = LoggerFactory.getLogger(PhotoChangesListener.class);

    private final PhotoEventCodec codec = new PhotoEventCodec();
    private final PhotoSynchronizer synchronizer;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final MeterRegistry registry;

    PhotoChangesListener(PhotoSynchronizer synchronizer, DeadLetterPublishingRecoverer deadLetters,
            MeterRegistry registry) {
        this.synchronizer = synchronizer;
        this.deadLetters = deadLetters;
        this.registry = registry;
        for (String topic : new String[] {Topics.PHOTO_CHANGES, Topics.PHOTO_REQUESTS}) {
            DeadLetters.REASONS.forEach(reason -> registry.counter("profile_sync_dead_letters", "topic", topic,
                    "reason", reason));
        }
    }

    @KafkaListener(id = ConsumerGroups.PHOTO_SYNC, groupId = ConsumerGroups.PHOTO_SYNC, topics = Topics.PHOTO_CHANGES,
             concurrency = "${profile-sync.photo.consumers}")
    void on(ConsumerRecord<String, byte[]> record) {
        sync(record, PhotoLanes.Lane.BULK);
    }

    @KafkaListener(id = ConsumerGroups.PHOTO_SYNC_REQUESTS, groupId = ConsumerGroups.PHOTO_SYNC_REQUESTS,
             topics = Topics.PHOTO_REQUESTS, concurrency = "${profile-sync.photo.priority-consumers}")
    void onRequest(ConsumerRecord<String, byte[]> record) {
        sync(record, PhotoLanes.Lane.PRIORITY);
    }

    private void sync(ConsumerRecord<String, byte[]> record, PhotoLanes.Lane lane) {
        PhotoChanged event;
        try {
            event = codec.decode(record.key(), record.headers(), record.value(), record.timestamp());
            String outcome = synchronizer.sync(event, lane);
            log.debug("Photo of {} ({}, {} lane): {}", event.userId(), event.reason(), lane, outcome);
        } catch (InvalidEventException e) {
            log.warn("Dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
                    e.reason(), e.getMessage());
            deadLetters.accept(record, new ListenerExecutionFailedException(e.getMessage(), e));
            registry.counter("profile_sync_dead_letters", "topic", record.topic(), "reason", e.reason()).increment();
        }
    }
}
