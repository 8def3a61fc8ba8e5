package dev.profilesync.ingest.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.profilesync.events.ChangedFields;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.ChangeBounds;
import dev.profilesync.events.Rfc3339;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.Violation;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the body of {@code POST /api/v1/changes} (schema {@code change-batch.v1.schema.json}) into contract events.
 * The batch is all or nothing: a single bad item rejects the request, and every problem found is reported with a JSON
 * pointer, so a client can fix everything in one go.
 */
final class ChangeBatchReader {

    private static final Set<String> BATCH_PROPERTIES = Set.of("source", "changes");
    private static final Set<String> CHANGE_PROPERTIES = Set.of("userId", "eventId", "source", "observedAt", "deleted",
            "fields");
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int maxBatchSize;
    private final Clock clock;
    private final ChangeBounds bounds;

    ChangeBatchReader(int maxBatchSize, Clock clock, Duration maxClockSkew) {
        this.maxBatchSize = maxBatchSize;
        this.clock = clock;
        this.bounds = new ChangeBounds(clock, maxClockSkew);
    }

    List<UserEvent> read(byte[] body) {
        JsonNode batch = parse(body);
        List<Violation> violations = new ArrayList<>();
        if (!batch.isObject()) {
            throw invalid(List.of(new Violation("", "invalid-type", "the body must be a JSON object with 'changes'")));
        }
        unknownProperties(batch, "", BATCH_PROPERTIES, violations);
        Optional<String> batchSource = source(batch.get("source"), "/source", violations);
        JsonNode changes = batch.path("changes");
        if (!changes.isArray() || changes.isEmpty()) {
            violations.add(new Violation("/changes", changes.isMissingNode() ? "missing" : "invalid-type",
                    "changes must be a non-empty array"));
            throw invalid(violations);
        }
        if (changes.size() > maxBatchSize) {
            throw new IntakeRejectedException(HttpStatus.CONTENT_TOO_LARGE, "batch-too-large",
                    "the batch has " + changes.size() + " changes; at most " + maxBatchSize + " are accepted per request");
        }
        Instant now = clock.instant();
        List<UserEvent> events = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            change(changes.get(i), "/changes/" + i, batchSource, now, violations).ifPresent(events::add);
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        return events;
    }

    private Optional<UserEvent> change(JsonNode change, String at, Optional<String> batchSource, Instant now,
            List<Violation> violations) {
        if (!change.isObject()) {
            violations.add(new Violation(at, "invalid-type", "a change must be a JSON object"));
            return Optional.empty();
        }
        int before = violations.size();
        unknownProperties(change, at, CHANGE_PROPERTIES, violations);
        Optional<String> userId = userId(change.get("userId"), at + "/userId", violations);
        String eventId = eventId(change.get("eventId"), at + "/eventId", violations);
        Optional<String> source = source(change.get("source"), at + "/source", violations).or(() -> batchSource);
        if (source.isEmpty() && violations.size() == before) {
            violations.add(new Violation(at + "/source", "missing",
                    "source is required, on the change or on the batch"));
        }
        Instant observedAt = observedAt(change.get("observedAt"), at + "/observedAt", now, violations);
        boolean deleted = deleted(change.get("deleted"), at + "/deleted", violations);
        Map<ProfileField, Object> fields = Map.of();
        if (deleted) {
            if (change.has("fields")) {
                violations.add(new Violation(at + "/fields", "not-allowed", "a deletion carries no fields"));
            }
        } else {
            fields = ChangedFields.parse(change.path("fields"), at + "/fields", violations);
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        return Optional.of(deleted ? new UserDeleted(eventId, userId.get(), source.get(), observedAt)
                : new UserChanged(eventId, userId.get(), source.get(), observedAt, fields));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length >= 2 && (body[0] == 0 || body[1] == 0 || (body[0] & 0xff) == 0xfe
                || (body[0] & 0xff) == 0xff)) {
            // JSON between systems is UTF-8 (RFC 8259 section 8.1); UTF-16 and UTF-32 start with a NUL or a BOM
            throw new IntakeRejectedException(HttpStatus.BAD_REQUEST, "unsupported-encoding",
                    "the body must be UTF-8 encoded JSON");
        }
        try {
            JsonNode node = STRICT.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new IntakeRejectedException(HttpStatus.BAD_REQUEST, "malformed-json", "the body is empty");
            }
            return node;
        } catch (JacksonException e) {
            throw new IntakeRejectedException(HttpStatus.BAD_REQUEST, "malformed-json",
                    "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void unknownProperties(JsonNode node, String at, Set<String> allowed, List<Violation> violations) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                violations.add(new Violation(at + "/" + name, "unknown-property",
                        "'" + name + "' is not allowed here; allowed: " + String.join(", ", allowed)));
            }
        }
    }

    private static Optional<String> userId(JsonNode node, String at, List<Violation> violations) {
        if (node == null) {
            violations.add(new Violation(at, "missing", "userId is required"));
            return Optional.empty();
        }
        Optional<String> userId = node.isString() ? Identifiers.userId(node.stringValue()) : Optional.empty();
        if (userId.isEmpty()) {
            violations.add(new Violation(at, "invalid-user-id", "userId must be a directory object id (a GUID)"));
        }
        return userId;
    }

    private static String eventId(JsonNode node, String at, List<Violation> violations) {
        if (node == null) {
            return UUID.randomUUID().toString();
        }
        if (!node.isString() || !Identifiers.isEventId(node.stringValue())) {
            violations.add(new Violation(at, "invalid-event-id", "eventId must be 1-128 characters of [A-Za-z0-9._:-]"));
            return "";
        }
        return node.stringValue();
    }

    private static Optional<String> source(JsonNode node, String at, List<Violation> violations) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isString() || !Identifiers.isSource(node.stringValue())) {
            violations.add(new Violation(at, "invalid-source",
                    "source must start with a letter or digit and use only [A-Za-z0-9._:/-], at most 128"));
            return Optional.empty();
        }
        return Optional.of(node.stringValue());
    }

    private Instant observedAt(JsonNode node, String at, Instant now, List<Violation> violations) {
        if (node == null) {
            return now;
        }
        try {
            if (node.isString()) {
                Instant observedAt = Rfc3339.parse(node.stringValue());
                String problem = bounds.observedAtProblem(observedAt);
                if (problem != null) {
                    violations.add(new Violation(at, "time-out-of-range", problem));
                }
                return observedAt;
            }
        } catch (java.time.DateTimeException | ArithmeticException e) {
            // reported below
        }
        violations.add(new Violation(at, "invalid-time", "observedAt must be an RFC 3339 timestamp with offset"));
        return now;
    }

    private static boolean deleted(JsonNode node, String at, List<Violation> violations) {
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            violations.add(new Violation(at, "invalid-type", "deleted must be true or false"));
            return false;
        }
        return node.booleanValue();
    }

    private static IntakeRejectedException invalid(List<Violation> violations) {
        return new IntakeRejectedException(HttpStatus.BAD_REQUEST, "invalid-changes",
                violations.size() + " problem(s) in the batch; nothing was published", violations);
    }
}
