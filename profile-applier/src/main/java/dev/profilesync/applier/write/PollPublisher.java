package dev.profilesync.applier.write;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.profilesync.applier.store.StoredProfile;

/**
 * What publishes a poll's outcome (the snapshot stream) and commits the poll's offsets with it. It is handed the rows
 * as the store writes them, while the store transaction is still open, so that it can do its work while the database
 * does its own; it commits only once the store has. When it fails, the poll is delivered again: the store converges
 * on the duplicate and the poll is published again.
 */
public interface PollPublisher {

    /** Called on the consumer thread before a poll is written. */
    Publication begin(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer);

    /** One poll's publication; every method is called on the consumer thread. */
    interface Publication {

        /**
         * Rows as the store's statements left them (each user once, in the last part of the poll that wrote it),
         * while the store transaction is open. If that transaction does not commit, they are void: see
         * {@link #committed(boolean)} and {@link #abandoned()}.
         */
        void written(Collection<StoredProfile> rows);

        /**
         * The store has committed the poll.
         *
         * @param complete whether {@link #written} was handed every row the committed transaction wrote; when not
         *        (H2 does not hand rows back; a poll whose refused records were isolated was written in other
         *        transactions), whatever was handed over is void and the poll's users are to be read from the store
         */
        void committed(boolean complete);

        /** The poll was not committed to the store; it will be delivered again. */
        void abandoned();
    }
}
