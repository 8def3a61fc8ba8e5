package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class UserEventCodecTest {

    private final UserEventCodec codec = new UserEventCodec();

    @Test
    void roundTripsAChangeWithClearedAndListFields() {
        Map<ProfileField, Object> fields = new HashMap<>();
        fields.put(ProfileField.JOB_TITLE, "Engineer");
        fields.put(ProfileField.MOBILE_PHONE, null);
        fields.put(ProfileField.SKILLS, List.of("kafka", "java"));
        fields.put(ProfileField.ACCOUNT_ENABLED, true);
        UserChanged changed = new UserChanged("e-1", UserEvents.ADA, "graph",
                Instant.parse("2026-11-25T10:15:30.123456789Z"), fields);

        ProducerRecord<String, byte[]> record = codec.toRecord(changed);

        assertThat(record.topic()).isEqualTo(Topics.USER_CHANGES);
        assertThat(record.key()).isEqualTo(UserEvents.ADA);
        UserEvent decoded = codec.decode(record.key(), record.headers(), record.value(), 0L);
        assertThat(decoded).isEqualTo(changed);
        assertThat(decoded.observedAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123456Z"));
    }

    /** The value is written by hand now: it is the bytes Jackson wrote from a tree of the same fields, and decodes. */
    @Property(tries = 1000)
    void writesTheValueJacksonWroteAndReadsItBack(@ForAll("fields") Map<ProfileField, Object> fields) {
        UserChanged changed = new UserChanged("e-1", UserEvents.ADA, "graph", Instant.parse("2026-11-25T10:15:30Z"),
                fields);
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode data = mapper.createObjectNode();
        ObjectNode tree = data.putObject("fields");
        fields.forEach((field, value) -> UserEventCodec.putValue(tree, field.jsonName(), value));

        ProducerRecord<String, byte[]> record = codec.toRecord(changed);

        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo(new String(mapper.writeValueAsBytes(data), StandardCharsets.UTF_8));
        assertThat(codec.decode(record.key(), record.headers(), record.value(), 0L)).isEqualTo(changed);
    }

    @Provide
    Arbitrary<Map<ProfileField, Object>> fields() {
        // what the contract lets a field hold: bounded text without control characters, lists of it, booleans, null
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '\uFFFD').ofMaxLength(16)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF || Character.isISOControl(c)));
        return Arbitraries.maps(Arbitraries.of(ProfileField.class), text).ofMinSize(1).ofMaxSize(8).map(map -> {
            Map<ProfileField, Object> typed = new java.util.EnumMap<>(ProfileField.class);
            map.forEach((field, value) -> typed.put(field, switch (field.kind()) {
                case BOOLEAN -> value.length() % 2 == 0;
                case STRING_LIST -> List.of(value, value + "2");
                default -> value.isEmpty() ? null : value;
            }));
            return typed;
        });
    }

    @Test
    void roundTripsADeletionWithAnEmptyValue() {
        UserDeleted deleted = new UserDeleted("e-2", UserEvents.ADA, "graph", Instant.parse("2026-11-25T10:00:00Z"));
        ProducerRecord<String, byte[]> record = codec.toRecord(deleted);
        assertThat(record.value()).isEmpty();
        assertThat(codec.decode(record.key(), record.headers(), record.value(), 0L)).isEqualTo(deleted);
    }

    @Test
    void usesTheRecordTimestampWhenTimeIsAbsent() {
        Headers headers = headers(UserEventCodec.TYPE_CHANGED);
        headers.remove(CloudEventHeaders.TIME);
        UserEvent event = codec.decode(UserEvents.ADA, headers, body("{\"fields\":{\"city\":\"Oslo\"}}"),
                1_764_000_000_000L);
        assertThat(event.observedAt()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_000L));
    }

    @Test
    void acceptsAnUpperCaseSubjectAndNormalisesIt() {
        Headers headers = headers(UserEventCodec.TYPE_DELETED);
        headers.remove(CloudEventHeaders.SUBJECT);
        headers.add(CloudEventHeaders.SUBJECT, UserEvents.ADA.toUpperCase().getBytes(StandardCharsets.UTF_8));
        assertThat(codec.decode(null, headers, null, 0L).userId()).isEqualTo(UserEvents.ADA);
    }

    @Test
    void rejectsRecordsThatBreakTheContractWithAReason() {
        assertReason(UserEvents.ADA, without(CloudEventHeaders.ID), "{\"fields\":{\"city\":\"x\"}}", "missing-header");
        assertReason(UserEvents.ADA, replaced(CloudEventHeaders.TYPE, "com.example.other"), "{}", "unknown-type");
        assertReason(UserEvents.ADA, replaced(CloudEventHeaders.SPEC_VERSION, "0.3"), "{}", "unsupported-specversion");
        assertReason(UserEvents.ADA, replaced(CloudEventHeaders.SUBJECT, "not-a-guid"), "{}", "invalid-subject");
        assertReason(UserEvents.ADA, replaced(CloudEventHeaders.TIME, "yesterday"), "{}", "invalid-time");
        assertReason("1d2a3b4c-0000-4000-8000-00000000abcd", headers(UserEventCodec.TYPE_CHANGED),
                "{\"fields\":{\"city\":\"x\"}}", "key-mismatch");
        assertReason(UserEvents.ADA, headers(UserEventCodec.TYPE_CHANGED), "{\"fields\":", "malformed-json");
        assertReason(UserEvents.ADA, headers(UserEventCodec.TYPE_CHANGED), "{\"fields\":{\"shoeSize\":\"44\"}}",
                "schema-invalid");
        assertReason(UserEvents.ADA, headers(UserEventCodec.TYPE_CHANGED), "", "schema-invalid");
        char[] big = new char[UserEventCodec.MAX_VALUE_BYTES + 1];
        Arrays.fill(big, 'x');
        assertReason(UserEvents.ADA, headers(UserEventCodec.TYPE_CHANGED), new String(big), "oversized");
    }

    private void assertReason(String key, Headers headers, String value, String reason) {
        assertThatThrownBy(() -> codec.decode(key, headers, body(value), 0L))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static Headers without(String name) {
        Headers headers = headers(UserEventCodec.TYPE_CHANGED);
        headers.remove(name);
        return headers;
    }

    private static Headers replaced(String name, String value) {
        Headers headers = without(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static Headers headers(String type) {
        Headers headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, "evt-1".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SOURCE, "hr-system".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SUBJECT, UserEvents.ADA.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TIME, "2026-11-25T10:00:00+01:00".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static byte[] body(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
