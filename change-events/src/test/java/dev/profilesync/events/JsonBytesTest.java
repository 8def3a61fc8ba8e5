package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JsonBytes writes what Jackson's streaming generator writes, and reads back as what it was given. */
class JsonBytesTest {

    private static final JsonFactory GENERATORS = new JsonFactory();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 3000)
    void writesAnArrayOfValuesAsJacksonDoes(@ForAll("values") List<Object> values) {
        JsonBytes ours = JsonBytes.local().put('[');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator jackson = GENERATORS.createGenerator(bytes)) {
            jackson.writeStartArray();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    ours.put(',');
                }
                Object value = values.get(i);
                if (value instanceof Instant instant) {
                    ours.instant(instant);
                    jackson.writeString(instant.toString());
                } else {
                    ours.value(value);
                    writeValue(jackson, value);
                }
            }
            jackson.writeEndArray();
        }
        assertThat(new String(ours.put(']').toBytes(), StandardCharsets.UTF_8))
                .isEqualTo(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesEveryEscapeJacksonWrites() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\uFFFF\uD83D\uDE00");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator jackson = GENERATORS.createGenerator(bytes)) {
            jackson.writeString(all.toString());
        }
        assertThat(JsonBytes.local().string(all.toString()).toBytes()).isEqualTo(bytes.toByteArray());
    }

    @Test
    void aLoneSurrogateIsEscapedNotRefused() {
        byte[] written = JsonBytes.local().raw(JsonBytes.ascii("{\"a\":")).string("x\uD800y\uDC00").put('}')
                .toBytes();
        assertThat(new String(written, StandardCharsets.US_ASCII)).isEqualTo("{\"a\":\"x\\uD800y\\uDC00\"}");
        assertThat(JSON.readValue(written, new TypeReference<Map<String, String>>() {
        })).containsEntry("a", "x\uD800y\uDC00");
    }

    @Test
    void aLongTextGrowsTheBufferAndTheThreadsNextTextStartsEmpty() {
        String longText = "é\n\"".repeat(30_000);
        byte[] first = JsonBytes.local().string(longText).toBytes();
        assertThat(JSON.readValue(first, String.class)).isEqualTo(longText);
        assertThat(JsonBytes.local().string("x").toBytes()).isEqualTo("\"x\"".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void nullsAndYearsOutsideFourDigits() {
        Instant far = Instant.parse("+12026-01-01T00:00:00Z");
        byte[] written = JsonBytes.local().put('[').string(null).put(',').instant(null).put(',').value(null).put(',')
                .instant(far).put(']').toBytes();
        assertThat(new String(written, StandardCharsets.US_ASCII))
                .isEqualTo("[null,null,null,\"" + far + "\"]");
    }

    @Provide
    Arbitrary<List<Object>> values() {
        // any text but lone surrogates, which Jackson refuses to write
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(30)
                .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        Arbitrary<Instant> instants = Arbitraries.longs().between(-62_000_000_000L, 253_000_000_000L)
                .flatMap(seconds -> Arbitraries.of(0, 1, 120_000_000, 123_456_000, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
        Arbitrary<Object> value = Arbitraries.oneOf(text.map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast), text.list().ofMaxSize(3).map(Object.class::cast),
                instants.map(Object.class::cast));
        return value.list().ofMaxSize(6);
    }

    private static void writeValue(JsonGenerator jackson, Object value) {
        if (value instanceof Boolean flag) {
            jackson.writeBoolean(flag);
        } else if (value instanceof List<?> list) {
            jackson.writeStartArray();
            for (Object item : list) {
                jackson.writeString(String.valueOf(item));
            }
            jackson.writeEndArray();
        } else {
            jackson.writeString(String.valueOf(value));
        }
    }
}
