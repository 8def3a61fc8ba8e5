package dev.profilesync.photo.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.util.unit.DataSize;

import dev.profilesync.events.TopicSettings;
import dev.profilesync.graph.GraphSettings;
import dev.profilesync.photo.PhotoSyncProperties;

/** A bulk rate so low that a poll's records outlast max.poll.interval.ms is refused at start-up, with the reason. */
class BulkRateSettingsTest {

    private static PhotoSyncProperties photoSync(int consumers, double bulkRate) {
        return new PhotoSyncProperties(consumers, 1, 4, bulkRate,
                new PhotoSyncProperties.BulkPause(0, 0, java.time.Duration.ofSeconds(1)), Map.of("large", 300), Path.of("photos"),
                "http://photos.example", new PhotoSyncProperties.Limits(DataSize.ofMegabytes(4), 40_000_000, 4.0),
                new GraphSettings("http://127.0.0.1:1/v1.0", "", "", ""), new TopicSettings(1, (short) 0),
                new PhotoSyncProperties.Links("a-photo-link-secret-of-32-chars!", Duration.ofHours(1)));
    }

    private static KafkaProperties kafka(int maxPollRecords) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getConsumer().setMaxPollRecords(maxPollRecords);
        return kafka;
    }

    @Test
    void aRateThatKeepsPollsWithinTheIntervalIsTaken() {
        // 8 threads × 20 records at 1 photo a second: 160 s a poll, under the default 300 s
        assertThat(new PhotoSyncConfig().photoLanes(photoSync(8, 1), kafka(20))).isNotNull();
        assertThat(new PhotoSyncConfig().photoLanes(photoSync(8, 0), kafka(500))).isNotNull();
    }

    @Test
    void aRateTooLowForThePollIntervalIsRefused() {
        // 8 threads × 20 records at 0.5 photos a second: 320 s a poll
        assertThatThrownBy(() -> new PhotoSyncConfig().photoLanes(photoSync(8, 0.5), kafka(20)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bulk-rate 0.5")
                .hasMessageContaining("320 s");
    }

    @Test
    void aLongerPollIntervalAllowsALowerRate() {
        KafkaProperties kafka = kafka(20);
        kafka.getConsumer().getProperties().put("max.poll.interval.ms", "600000");
        assertThat(new PhotoSyncConfig().photoLanes(photoSync(8, 0.5), kafka)).isNotNull();
    }
}
