package dev.profilesync.applier.scim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.profilesync.applier.ApplierProperties;
import dev.profilesync.applier.read.ProfileQueries;
import dev.profilesync.applier.store.StoredProfile;
import dev.profilesync.events.ChangedFields;
import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import dev.profilesync.events.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * SCIM users on top of the profile store and the change log. Writes are change events from the client's source on
 * {@code directory.user-changes}, validated like every other door's, and wait up to {@code read-your-writes} for the
 * applier to store them; until it has, this instance overlays the pending write on what it reads, so a GET or a
 * filter right after a write shows what was written.
 * <p>
 * Identity: a user's SCIM {@code id} is its profile id (the directory object id). On create, an {@code externalId}
 * that is an object id (a GUID) becomes the id; otherwise the id is minted from the client's source and the
 * {@code userName}, so a retried create gets the same id. A client finds a user the directory already knows by
 * filtering on {@code userName} (matched to {@code userPrincipalName}, ignoring case), as Entra ID and Okta do before
 * they create anyone.
 */
@Component
class ScimUsers {

    /** A user as SCIM reads it: its fields (null ones left out) and version. */
    record Current(String id, Map<ProfileField, Object> fields, Instant lastModified, String version) {
    }

    private record Pending(Instant observedAt, String eventId, Map<ProfileField, Object> fields, boolean deleted,
            long expiresAtNanos) {
    }

    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProfileQueries queries;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ScimProperties properties;
    private final UserEventCodec codec = new UserEventCodec();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;

    ScimUsers(ProfileQueries queries, KafkaTemplate<String, byte[]> kafka, ScimProperties properties,
            ApplierProperties applier, MeterRegistry registry) {
        this.queries = queries;
        this.kafka = kafka;
        this.properties = properties;
        this.registry = registry;
        List<String> directorySources = applier.ownership().getOrDefault(FieldOwner.DIRECTORY, List.of());
        for (ScimProperties.Client client : properties.clients()) {
            if (!directorySources.contains(client.source())) {
                throw new IllegalStateException("SCIM client " + client.name() + " writes as source '"
                        + client.source() + "', which is not a directory source: add it to "
                        + "profile-sync.applier.ownership.directory");
            }
        }
    }

    Optional<Current> find(String id) {
        Optional<String> userId = Identifiers.userId(id);
        if (userId.isEmpty()) {
            return Optional.empty();
        }
        return view(userId.get(), queries.view(userId.get()).orElse(null));
    }

    /** Users matching every condition, ordered by id, and how many match in all. */
    List<Current> list(List<ScimFilter.Condition> conditions, int offset, int limit, long[] total) {
        List<ProfileQueries.Equals> equals = conditions.stream()
                .map(c -> new ProfileQueries.Equals(c.field(), c.value(), c.ignoreCase())).toList();
        Map<String, Current> found = new LinkedHashMap<>();
        for (StoredProfile profile : queries.presentMatching(equals, offset, limit)) {
            view(profile.userId(), profile).filter(user -> matches(user, conditions))
                    .ifPresent(user -> found.put(user.id(), user));
        }
        long count = queries.countPresentMatching(equals);
        // writes of this instance the store does not have yet
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            if (found.size() >= limit || found.containsKey(entry.getKey()) || entry.getValue().deleted()) {
                continue;
            }
            Optional<Current> user = find(entry.getKey());
            if (user.isPresent() && matches(user.get(), conditions)
                    && queries.presentMatching(idEquals(entry.getKey(), equals), 0, 1).isEmpty()) {
                found.put(user.get().id(), user.get());
                count++;
            }
        }
        total[0] = count;
        return new ArrayList<>(found.values());
    }

    private static List<ProfileQueries.Equals> idEquals(String id, List<ProfileQueries.Equals> equals) {
        List<ProfileQueries.Equals> withId = new ArrayList<>(equals);
        withId.add(new ProfileQueries.Equals(null, id, true));
        return withId;
    }

    Current create(ScimProperties.Client client, ObjectNode body) {
        Map<ProfileField, Object> fields = ScimUserMapping.fromScim(body);
        String userName = (String) fields.get(ProfileField.USER_PRINCIPAL_NAME);
        if (userName == null) {
            throw ScimException.invalidValue("userName is required");
        }
        String externalId = (String) fields.get(ProfileField.EXTERNAL_ID);
        String id = externalId != null && Identifiers.userId(externalId).isPresent()
                ? Identifiers.userId(externalId).get()
                : UUID.nameUUIDFromBytes(("scim:" + client.source() + ":" + userName.toLowerCase(Locale.ROOT))
                        .getBytes(StandardCharsets.UTF_8)).toString();
        if (find(id).isPresent()) {
            throw ScimException.uniqueness("a user with id " + id + " exists already");
        }
        ensureUniqueUserName(userName, id);
        fields.values().removeIf(Objects::isNull);
        return write(client, id, Map.of(), fields, "create");
    }

    Current replace(ScimProperties.Client client, String id, ObjectNode body) {
        Current current = find(id).orElseThrow(() -> ScimException.notFound(id));
        Map<ProfileField, Object> fields = ScimUserMapping.fromScim(body);
        String userName = (String) fields.get(ProfileField.USER_PRINCIPAL_NAME);
        if (userName == null) {
            throw ScimException.invalidValue("userName is required");
        }
        ensureUniqueUserName(userName, current.id());
        return write(client, current.id(), current.fields(), fields, "replace");
    }

    Current patch(ScimProperties.Client client, String id, ObjectNode request, String baseUrl) {
        Current current = find(id).orElseThrow(() -> ScimException.notFound(id));
        ObjectNode document = ScimUserMapping.toScim(current.id(), current.fields(), current.lastModified(),
                current.version(), baseUrl);
        // compared with the document as read, so defaults it shows (active) are no change
        Map<ProfileField, Object> before = ScimUserMapping.fromScim(document);
        ScimPatch.apply(document, request);
        Map<ProfileField, Object> fields = ScimUserMapping.fromScim(document);
        String userName = (String) fields.get(ProfileField.USER_PRINCIPAL_NAME);
        if (userName == null) {
            throw ScimException.mutability("userName cannot be removed");
        }
        ensureUniqueUserName(userName, current.id());
        return write(client, current.id(), before, fields, "patch");
    }

    void delete(ScimProperties.Client client, String id) {
        Current current = find(id).orElseThrow(() -> ScimException.notFound(id));
        Instant observedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String eventId = "scim-" + UUID.randomUUID();
        publish(new UserDeleted(eventId, current.id(), client.source(), observedAt));
        pending.put(current.id(), new Pending(observedAt, eventId, Map.of(), true, expiry()));
        awaitStored(current.id(), observedAt);
        count(client, "delete");
    }

    private Current write(ScimProperties.Client client, String id, Map<ProfileField, Object> before,
            Map<ProfileField, Object> after, String operation) {
        Map<ProfileField, Object> changes = new EnumMap<>(ProfileField.class);
        for (Map.Entry<ProfileField, Object> field : after.entrySet()) {
            if (!Objects.equals(before.get(field.getKey()), field.getValue())) {
                changes.put(field.getKey(), field.getValue());
            }
        }
        validate(changes);
        Map<ProfileField, Object> merged = new EnumMap<>(ProfileField.class);
        merged.putAll(before);
        merged.putAll(changes);
        merged.values().removeIf(Objects::isNull);
        Instant observedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String eventId = "scim-" + UUID.randomUUID();
        if (!changes.isEmpty()) {
            publish(new UserChanged(eventId, id, client.source(), observedAt, changes));
            pending.put(id, new Pending(observedAt, eventId, merged, false, expiry()));
            awaitStored(id, observedAt);
        }
        count(client, operation);
        return changes.isEmpty() ? find(id).orElseThrow(() -> ScimException.notFound(id))
                : new Current(id, merged, observedAt, version(eventId));
    }

    /** The same checks as every other door: known fields, kinds, lengths, valid text. */
    private static void validate(Map<ProfileField, Object> changes) {
        ObjectNode fields = JSON.createObjectNode();
        changes.forEach((field, value) -> UserEventCodec.putValue(fields, field.jsonName(), value));
        List<Violation> violations = new ArrayList<>();
        ChangedFields.parse(fields, "", violations);
        if (!violations.isEmpty()) {
            throw ScimException.invalidValue(violations.get(0).message());
        }
    }

    private void ensureUniqueUserName(String userName, String id) {
        for (StoredProfile other : queries.presentMatching(List.of(new ProfileQueries.Equals(
                ProfileField.USER_PRINCIPAL_NAME, userName, true)), 0, 2)) {
            if (!other.userId().equals(id) && view(other.userId(), other).isPresent()) {
                throw ScimException.uniqueness("userName " + userName + " is taken by user " + other.userId());
            }
        }
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            Object pendingName = entry.getValue().fields().get(ProfileField.USER_PRINCIPAL_NAME);
            if (!entry.getKey().equals(id) && !entry.getValue().deleted() && pendingName instanceof String name
                    && name.equalsIgnoreCase(userName) && find(entry.getKey()).isPresent()) {
                throw ScimException.uniqueness("userName " + userName + " is taken by user " + entry.getKey());
            }
        }
    }

    private void publish(UserEvent event) {
        try {
            kafka.send(codec.toRecord(event)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScimException(503, null, "interrupted while publishing the change");
        } catch (ExecutionException | TimeoutException e) {
            throw new ScimException(503, null, "Kafka did not accept the change; retry later");
        }
    }

    /** Waits, up to {@code read-your-writes}, until the store holds a write observed at {@code observedAt} or later. */
    private void awaitStored(String id, Instant observedAt) {
        long deadline = System.nanoTime() + properties.readYourWrites().toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StoredProfile> stored = queries.view(id);
            if (stored.isPresent() && !stored.get().lastObservedAt().isBefore(observedAt)) {
                pending.remove(id);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The stored profile with this instance's pending write on top, or empty when absent or deleted. */
    private Optional<Current> view(String id, StoredProfile stored) {
        Pending write = pending.get(id);
        if (write != null && (System.nanoTime() > write.expiresAtNanos() || stored != null
                && !stored.lastObservedAt().isBefore(write.observedAt()))) {
            pending.remove(id, write);
            write = null;
        }
        if (write != null) {
            return write.deleted() ? Optional.empty()
                    : Optional.of(new Current(id, write.fields(), write.observedAt(), version(write.eventId())));
        }
        if (stored == null || !stored.present()) {
            return Optional.empty();
        }
        return Optional.of(new Current(id, stored.fields(), stored.lastObservedAt(), version(stored.lastEventId())));
    }

    private static boolean matches(Current user, List<ScimFilter.Condition> conditions) {
        for (ScimFilter.Condition condition : conditions) {
            Object actual = condition.isId() ? user.id() : user.fields().get(condition.field());
            if (!(actual instanceof String text) || !(condition.ignoreCase() ? text.equalsIgnoreCase(condition.value())
                    : text.equals(condition.value()))) {
                return false;
            }
        }
        return true;
    }

    private long expiry() {
        return System.nanoTime() + PENDING_LIFETIME.toNanos();
    }

    private static String version(String eventId) {
        return eventId == null ? null : "W/\"" + eventId + "\"";
    }

    private void count(ScimProperties.Client client, String operation) {
        registry.counter("profile_sync_scim_writes_total", "client", client.name(), "operation", operation)
                .increment();
    }
}
