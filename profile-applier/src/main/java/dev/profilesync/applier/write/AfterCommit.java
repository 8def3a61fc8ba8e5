package dev.profilesync.applier.write;

import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What runs after a poll's store transaction committed and before the container commits the poll's offsets (the
 * snapshot stream). When it throws, the poll is delivered again: the store converges on the duplicate, and this runs
 * again.
 */
public interface AfterCommit {

    void committed(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer);
}
