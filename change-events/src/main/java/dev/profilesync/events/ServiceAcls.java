package dev.profilesync.events;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least Kafka privileges each service needs, from the contract's own topic, group and transactional-id names, so
 * the ACLs cannot drift from what the code does. Each service runs as its own principal (SASL/SCRAM user or mTLS
 * certificate name); nothing here is granted to every principal, and no service may write a topic it does not own:
 * only change-ingest, directory-sync and photo-sync write {@code directory.user-changes} (profile-applier re-publishes
 * replayed dead letters there), only directory-sync writes its state and lease topics.
 * <p>
 * {@code java -cp change-events.jar dev.profilesync.events.ServiceAcls <service> <principal> [tenant]} prints the
 * {@code kafka-acls.sh} lines for one service.
 */
public final class ServiceAcls {

    /** The services that talk to Kafka. */
    public enum Service {
        CHANGE_INGEST, DIRECTORY_SYNC, PROFILE_APPLIER, PHOTO_SYNC, SYNC_MONITOR;

        /** The service's name, e.g. {@code change-ingest}. */
        public String serviceName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Service of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** One permission: an operation on a named topic, group or transactional id (or on every name with a prefix). */
    public record Grant(ResourceType resourceType, String name, PatternType pattern, AclOperation operation) {

        Grant(ResourceType resourceType, String name, AclOperation operation) {
            this(resourceType, name, PatternType.LITERAL, operation);
        }
    }

    private ServiceAcls() {
    }

    /** What {@code service} needs; {@code tenant} names directory-sync's lease group and transactional id. */
    public static List<Grant> grants(Service service, String tenant) {
        List<Grant> grants = new ArrayList<>();
        switch (service) {
            case CHANGE_INGEST -> {
                declares(grants, Topics.USER_CHANGES_TOPIC, Topics.PHOTO_REQUESTS_TOPIC);
                topic(grants, Topics.USER_CHANGES, WRITE);
                // requested photo syncs go to the priority lane
                topic(grants, Topics.PHOTO_REQUESTS, WRITE);
                // each batch is one transaction; every instance has its own id under this prefix
                for (AclOperation operation : List.of(WRITE, DESCRIBE)) {
                    grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, ConsumerGroups.INTAKE_TRANSACTIONAL_ID_PREFIX,
                            PatternType.PREFIXED, operation));
                }
            }
            case DIRECTORY_SYNC -> {
                declares(grants, Topics.USER_CHANGES_TOPIC, Topics.PHOTO_CHANGES_TOPIC, Topics.INGEST_STATE_TOPIC,
                        Topics.DIRECTORY_SYNC_LEASE_TOPIC);
                topic(grants, Topics.USER_CHANGES, WRITE);
                topic(grants, Topics.PHOTO_CHANGES, WRITE);
                topic(grants, Topics.INGEST_STATE, READ, WRITE);
                topic(grants, Topics.DIRECTORY_SYNC_LEASE, READ, WRITE);
                group(grants, ConsumerGroups.directorySync(tenant), READ, DESCRIBE);
                grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, ConsumerGroups.directorySyncTransactionalId(tenant),
                        WRITE));
                grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, ConsumerGroups.directorySyncTransactionalId(tenant),
                        DESCRIBE));
            }
            case PROFILE_APPLIER -> {
                declares(grants, Topics.USER_CHANGES_TOPIC);
                topic(grants, Topics.USER_CHANGES, READ);
                group(grants, ConsumerGroups.PROFILE_APPLIER, READ, DESCRIBE);
                topic(grants, Topics.USER_CHANGES_TOPIC.deadLetterTopic(), WRITE);
                // dead-letter replay: reads the dead letters, puts them back on the topic they came from
                topic(grants, Topics.USER_CHANGES_TOPIC.deadLetterTopic(), READ);
                group(grants, ConsumerGroups.PROFILE_APPLIER_DEAD_LETTER_REPLAY, READ, DESCRIBE);
                topic(grants, Topics.USER_CHANGES, WRITE);
                // profiles out: snapshots and the poll's offsets in one transaction per poll
                declares(grants, Topics.PROFILE_SNAPSHOTS_TOPIC);
                topic(grants, Topics.PROFILE_SNAPSHOTS, WRITE);
                for (AclOperation operation : List.of(WRITE, DESCRIBE)) {
                    grants.add(new Grant(ResourceType.TRANSACTIONAL_ID,
                            ConsumerGroups.SNAPSHOT_TRANSACTIONAL_ID_PREFIX, PatternType.PREFIXED, operation));
                }
            }
            case PHOTO_SYNC -> {
                declares(grants, Topics.PHOTO_CHANGES_TOPIC, Topics.PHOTO_REQUESTS_TOPIC);
                topic(grants, Topics.PHOTO_CHANGES, READ);
                group(grants, ConsumerGroups.PHOTO_SYNC, READ, DESCRIBE);
                topic(grants, Topics.PHOTO_CHANGES_TOPIC.deadLetterTopic(), WRITE);
                topic(grants, Topics.PHOTO_REQUESTS, READ);
                group(grants, ConsumerGroups.PHOTO_SYNC_REQUESTS, READ, DESCRIBE);
                topic(grants, Topics.PHOTO_REQUESTS_TOPIC.deadLetterTopic(), WRITE);
                // announces new thumbnails as changes of the photo fields (source photo-sync)
                topic(grants, Topics.USER_CHANGES, DESCRIBE, WRITE);
                // reads the applier's backlog to give way to it (profile-sync.photo.bulk-pause): offsets, no records
                group(grants, ConsumerGroups.PROFILE_APPLIER, DESCRIBE);
            }
            case SYNC_MONITOR -> {
                for (ConsumerGroups.Watched watched : ConsumerGroups.WATCHED) {
                    group(grants, watched.group(), DESCRIBE);
                    // reads the record at the group's committed offset for its timestamp
                    topic(grants, watched.topic(), DESCRIBE, READ);
                }
                // the status page counts dead letters by reason, after the replay's position
                for (Topics.Declaration declaration : Topics.ALL) {
                    if (declaration.deadLetters()) {
                        topic(grants, declaration.deadLetterTopic(), DESCRIBE, READ);
                    }
                }
                group(grants, ConsumerGroups.PROFILE_APPLIER_DEAD_LETTER_REPLAY, DESCRIBE);
            }
            default -> throw new IllegalArgumentException(service.toString());
        }
        return grants.stream().distinct().toList();
    }

    /** The grants as ACL bindings for one principal, e.g. {@code User:profile-applier}. */
    public static List<AclBinding> bindings(Service service, String principal, String tenant) {
        return grants(service, tenant).stream().map(grant -> new AclBinding(
                new ResourcePattern(grant.resourceType(), grant.name(), grant.pattern()),
                new AccessControlEntry(principal, "*", grant.operation(), AclPermissionType.ALLOW))).toList();
    }

    /** Topics a service declares at start-up: it may see them and create them (and their dead-letter twins). */
    private static void declares(List<Grant> grants, Topics.Declaration... declarations) {
        for (Topics.Declaration declaration : declarations) {
            topic(grants, declaration.name(), DESCRIBE, CREATE);
            if (declaration.deadLetters()) {
                topic(grants, declaration.deadLetterTopic(), DESCRIBE, CREATE);
            }
        }
    }

    private static void topic(List<Grant> grants, String name, AclOperation... operations) {
        for (AclOperation operation : operations) {
            grants.add(new Grant(ResourceType.TOPIC, name, operation));
        }
    }

    private static void group(List<Grant> grants, String name, AclOperation... operations) {
        for (AclOperation operation : operations) {
            grants.add(new Grant(ResourceType.GROUP, name, operation));
        }
    }

    /** Prints the {@code kafka-acls.sh --add} lines for one service's principal. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ServiceAcls <change-ingest|directory-sync|profile-applier|photo-sync|"
                    + "sync-monitor> <principal, e.g. User:profile-applier> [tenant]");
            System.exit(2);
        }
        String tenant = args.length > 2 ? args[2] : "";
        for (Grant grant : grants(Service.of(args[0]), tenant)) {
            String resource = switch (grant.resourceType()) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                default -> throw new IllegalStateException(grant.resourceType().toString());
            };
            System.out.printf("kafka-acls.sh --bootstrap-server <broker> --command-config admin.properties --add "
                    + "--allow-principal %s --operation %s %s %s%s%n", args[1],
                    toCamel(grant.operation().name()), resource, grant.name(),
                    grant.pattern() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
        }
    }

    private static String toCamel(String operation) {
        return operation.charAt(0) + operation.substring(1).toLowerCase(Locale.ROOT);
    }
}
