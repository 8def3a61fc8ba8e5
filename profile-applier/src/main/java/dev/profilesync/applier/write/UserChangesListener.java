package dev.profilesync.applier.write;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * The applier's consumer group on {@code directory.user-changes}: a batch listener, one poll at a time per assigned
 * partition set, each applied by {@link PollApplier}. The group id is the contract's, stated here, not in a setting.
 */
@Component
class UserChangesListener {

    private final PollApplier applier;
    private final List<AfterCommit> afterCommit;

    UserChangesListener(PollApplier applier, List<AfterCommit> afterCommit) {
        this.applier = applier;
        this.afterCommit = afterCommit;
    }

    @KafkaListener(id = ConsumerGroups.PROFILE_APPLIER, groupId = ConsumerGroups.PROFILE_APPLIER,
            topics = Topics.USER_CHANGES, batch = "true", concurrency = "${profile-sync.applier.consumers}")
    void on(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        Optional<Collection<StoredProfile>> written = applier.apply(records, !afterCommit.isEmpty());
        for (AfterCommit next : afterCommit) {
            next.committed(records, written, consumer);
        }
    }
}
