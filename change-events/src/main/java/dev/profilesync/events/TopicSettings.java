package dev.profilesync.events;

import org.springframework.kafka.core.KafkaAdmin;

import jakarta.validation.constraints.Min;

/**
 * How a service creates the contract topics it uses when they do not exist yet, bound under each service's own prefix
 * ({@code profile-sync.<service>.topics}). Existing topics are left as they are: partitions are only ever added by an
 * operator (see the README).
 *
 * @param partitions partitions of a topic whose declaration leaves the count to the operator
 * @param replicationFactor replicas of a created topic; 0 takes the broker's {@code default.replication.factor}
 */
public record TopicSettings(@Min(1) int partitions, @Min(0) short replicationFactor) {

    /** The topics to declare (with their dead-letter twins) as a Spring bean; needs spring-kafka. */
    public KafkaAdmin.NewTopics declare(Topics.Declaration... declarations) {
        return new KafkaAdmin.NewTopics(Topics.newTopics(partitions, replicationFactor, declarations));
    }
}
