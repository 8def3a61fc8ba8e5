package dev.profilesync.applier.write;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.profilesync.applier.store.StoredProfile;

/**
 * What runs after a poll's store transaction committed and before the container commits the poll's offsets (the
 * snapshot stream). When it throws, the poll is delivered again: the store converges on the duplicate, and this runs
 * again.
 */
public interface AfterCommit {

    /**
     * @param records the poll
     * @param written every user the poll wrote, as the store holds it now, when the store handed the rows back;
     *        empty when it did not (H2, or a poll whose refused records were isolated), and then they are to be read
     */
    void committed(List<ConsumerRecord<String, byte[]>> records, Optional<Collection<StoredProfile>> written,
            Consumer<?, ?> consumer);
}
