package dev.profilesync.applier.write;

/**
 * The poll's publication (the snapshot stream) failed while the store wrote the poll: a Kafka error, a producer that
 * was fenced or closed, a partition that moved to another consumer. No record is at fault, so the poll is not
 * bisected; it is delivered again, and the store converges on the duplicate.
 */
final class PublicationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PublicationFailedException(RuntimeException cause) {
        super("publishing the poll's rows failed: " + cause, cause);
    }
}
