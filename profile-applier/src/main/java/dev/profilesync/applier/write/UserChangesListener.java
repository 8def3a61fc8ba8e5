package dev.profilesync.applier.write;

import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.Topics;

/**
 * The applier's consumer group on {@code directory.user-changes}: a batch listener, one poll at a time per assigned
 * partition set, each applied by {@link PollApplier}. The group id is the contract's, stated here, not in a setting.
 * With {@code profile-sync.applier.apply=false} the container never starts: the instance is a read replica that
 * serves the read API and SCIM and never joins the group.
 */
@Component
class UserChangesListener {

    private final PollApplier applier;
    private final PollPublisher publisher;

    UserChangesListener(PollApplier applier, org.springframework.beans.factory.ObjectProvider<PollPublisher> publisher) {
        this.applier = applier;
        this.publisher = publisher.getIfAvailable();
    }

    @KafkaListener(id = ConsumerGroups.PROFILE_APPLIER, groupId = ConsumerGroups.PROFILE_APPLIER,
            topics = Topics.USER_CHANGES, batch = "true", concurrency = "${profile-sync.applier.consumers}",
            autoStartup = "${profile-sync.applier.apply:true}")
    void on(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
        PollPublisher.Publication publication = publisher == null ? null : publisher.begin(records, consumer);
        boolean complete;
        try {
            complete = applier.apply(records, publication);
        } catch (RuntimeException | Error failure) {
            if (publication != null) {
                publication.abandoned();
            }
            throw failure;
        }
        if (publication != null) {
            publication.committed(complete);
        }
    }
}
