package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import dev.profilesync.events.ServiceAcls.Service;

class ServiceAclsTest {

    private static Set<Service> writersOf(String topic) {
        return Arrays.stream(Service.values())
                .filter(service -> ServiceAcls.grants(service, "contoso").stream().anyMatch(grant ->
                        grant.resourceType() == ResourceType.TOPIC && grant.name().equals(topic)
                                && grant.operation() == AclOperation.WRITE))
                .collect(Collectors.toSet());
    }

    @Test
    void onlyTheOwnersWriteEachTopic() {
        assertThat(writersOf(Topics.USER_CHANGES)).containsExactlyInAnyOrder(Service.CHANGE_INGEST,
                Service.DIRECTORY_SYNC, Service.PHOTO_SYNC, Service.PROFILE_APPLIER);
        assertThat(writersOf(Topics.PHOTO_CHANGES)).containsExactly(Service.DIRECTORY_SYNC);
        assertThat(writersOf(Topics.PHOTO_REQUESTS)).containsExactly(Service.CHANGE_INGEST);
        assertThat(writersOf(Topics.INGEST_STATE)).containsExactly(Service.DIRECTORY_SYNC);
        assertThat(writersOf(Topics.DIRECTORY_SYNC_LEASE)).containsExactly(Service.DIRECTORY_SYNC);
        assertThat(writersOf(Topics.USER_CHANGES_TOPIC.deadLetterTopic())).containsExactly(Service.PROFILE_APPLIER);
        assertThat(writersOf(Topics.PHOTO_CHANGES_TOPIC.deadLetterTopic())).containsExactly(Service.PHOTO_SYNC);
        assertThat(writersOf(Topics.PHOTO_REQUESTS_TOPIC.deadLetterTopic())).containsExactly(Service.PHOTO_SYNC);
        assertThat(writersOf(Topics.PROFILE_SNAPSHOTS)).containsExactly(Service.PROFILE_APPLIER);
    }

    @Test
    void photoSyncMayLookAtTheApplierGroupButNotJoinIt() {
        assertThat(ServiceAcls.grants(Service.PHOTO_SYNC, "")).filteredOn(grant -> grant.resourceType()
                == ResourceType.GROUP && grant.name().equals(ConsumerGroups.PROFILE_APPLIER))
                .extracting(ServiceAcls.Grant::operation).containsExactly(AclOperation.DESCRIBE);
    }

    @Test
    void theMonitorOnlyLooks() {
        assertThat(ServiceAcls.grants(Service.SYNC_MONITOR, "")).allSatisfy(grant -> assertThat(grant.operation())
                .isIn(AclOperation.DESCRIBE, AclOperation.READ));
        assertThat(ServiceAcls.grants(Service.SYNC_MONITOR, "")).filteredOn(grant -> grant.resourceType()
                == ResourceType.GROUP).allSatisfy(grant -> assertThat(grant.operation())
                        .isEqualTo(AclOperation.DESCRIBE));
    }

    @Test
    void everyGrantNamesItsResourceExceptPerInstanceTransactionalIds() {
        for (Service service : Service.values()) {
            assertThat(ServiceAcls.grants(service, "contoso")).allSatisfy(grant -> {
                assertThat(grant.name()).isNotBlank().doesNotContain("*");
                if (grant.pattern() == PatternType.PREFIXED) {
                    assertThat(grant.resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
                    assertThat(service).isIn(Service.CHANGE_INGEST, Service.PROFILE_APPLIER);
                    assertThat(grant.name()).isIn(ConsumerGroups.INTAKE_TRANSACTIONAL_ID_PREFIX,
                            ConsumerGroups.SNAPSHOT_TRANSACTIONAL_ID_PREFIX);
                }
            });
        }
        assertThat(ServiceAcls.grants(Service.DIRECTORY_SYNC, "contoso")).anySatisfy(grant -> assertThat(grant.name())
                .isEqualTo(ConsumerGroups.directorySyncTransactionalId("contoso")));
        assertThat(ServiceAcls.bindings(Service.PHOTO_SYNC, "User:photo-sync", "")).allSatisfy(binding ->
                assertThat(binding.entry().principal()).isEqualTo("User:photo-sync"));
    }
}
