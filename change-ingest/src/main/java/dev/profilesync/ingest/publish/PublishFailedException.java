package dev.profilesync.ingest.publish;

/** Kafka did not acknowledge a batch in time; nothing of it became visible to consumers. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
