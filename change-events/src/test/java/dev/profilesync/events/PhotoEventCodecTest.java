package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhotoEventCodecTest {

    private final PhotoEventCodec codec = new PhotoEventCodec();

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {"user-created,none,'{\"reason\":\"user-created\"}'",
        "etag-changed,W/\"abc\",'{\"reason\":\"etag-changed\",\"mediaEtag\":\"W/\\\"abc\\\"\"}'"})
    void writesTheBodyAndReadsItBack(String reason, String mediaEtag, String body) {
        PhotoChanged event = new PhotoChanged("e-1", UserEvents.ADA, "graph",
                Instant.parse("2026-11-25T10:15:30.5Z"), reason, mediaEtag);

        ProducerRecord<String, byte[]> record = codec.toRecord(event, Topics.PHOTO_REQUESTS);

        assertThat(record.topic()).isEqualTo(Topics.PHOTO_REQUESTS);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(new String(record.headers().lastHeader(CloudEventHeaders.TIME).value(), StandardCharsets.UTF_8))
                .isEqualTo("2026-11-25T10:15:30.500Z");
        assertThat(codec.decode(record.key(), record.headers(), record.value(), 0L)).isEqualTo(event);
    }
}
