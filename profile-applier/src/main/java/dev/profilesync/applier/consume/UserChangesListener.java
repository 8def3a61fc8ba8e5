package dev.profilesync.applier.consume;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.stereotype.Component;

import dev.profilesync.applier.profile.PipelinedWrite;
import dev.profilesync.applier.profile.ProfileUpdater;
import dev.profilesync.events.InvalidEventException;
import dev.profilesync.events.Topics;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Applies each poll of {@code directory.user-changes} as one store transaction, decoding the next part of the poll
 * while the store writes the previous one. Offsets are committed by the container after this method returns, that is
 * after the database commit; a redelivered batch is harmless because the store
 * converges on duplicates. Poison records are dead-lettered (synchronously, before the offsets move) and the rest of
 * the batch is applied.
 */
@Component
class UserChangesListener {

    private static final Logger log = LoggerFactory.getLogger(UserChangesListener.class);

    /**
     * A poll is decoded in up to this many parts; the store writes one part while the next is decoded. Parts smaller
     * than {@link #MIN_PART} records are not worth a statement of their own.
     */
    private static final int PARTS = 4;
    private static final int MIN_PART = 100;

    private final UserEventCodec codec = new UserEventCodec();
    private final ProfileUpdater updater;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final MeterRegistry registry;

    UserChangesListener(ProfileUpdater updater, DeadLetterPublishingRecoverer deadLetters, MeterRegistry registry) {
        this.updater = updater;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @KafkaListener(id = "profile-applier", topics = Topics.USER_CHANGES, batch = "true",
            concurrency = "${profile-sync.applier.consumers}")
    void on(List<ConsumerRecord<String, byte[]>> records) {
        int part = Math.max(MIN_PART, (records.size() + PARTS - 1) / PARTS);
        try (PipelinedWrite write = updater.begin()) {
            for (int from = 0; from < records.size(); from += part) {
                write.write(decode(records.subList(from, Math.min(records.size(), from + part))));
            }
            write.commit();
        }
    }

    private List<UserEvent> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<UserEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(codec.decode(record.key(), record.headers(), record.value(), record.timestamp()));
            } catch (InvalidEventException e) {
                deadLetter(record, e);
            }
        }
        return events;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, InvalidEventException cause) {
        log.warn("Dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
                cause.reason(), cause.getMessage());
        deadLetters.accept(record, new ListenerExecutionFailedException(cause.getMessage(), cause));
        registry.counter("profile_sync_dead_letters", "topic", record.topic(), "reason", cause.reason()).increment();
    }
}
