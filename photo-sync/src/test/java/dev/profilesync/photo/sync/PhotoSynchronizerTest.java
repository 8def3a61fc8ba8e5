package dev.profilesync.photo.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.util.unit.DataSize;

import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.TopicSettings;
import dev.profilesync.graph.GraphSettings;
import dev.profilesync.photo.PhotoSyncProperties;
import dev.profilesync.photo.store.FileSystemPhotoStore;
import dev.profilesync.photo.thumbnail.ThumbnailRenderer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The synchronizer alone, with Graph and Kafka stubbed and a real photo store: what it stored and what it announced to
 * the profile store never diverge, and Graph's permanent refusals are told apart from transient failures.
 */
class PhotoSynchronizerTest {

    private static final String USER = "6e7b768e-07e2-4810-8459-485f84f8f204";

    @TempDir
    Path store;

    private GraphServiceClient graph;
    private KafkaTemplate<String, byte[]> kafka;
    private FileSystemPhotoStore photos;
    private PhotoSynchronizer synchronizer;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        graph = mock(GraphServiceClient.class, RETURNS_DEEP_STUBS);
        kafka = mock(KafkaTemplate.class);
        photos = new FileSystemPhotoStore(store);
        PhotoSyncProperties properties = new PhotoSyncProperties(1, 1, 4, 0,
                new PhotoSyncProperties.BulkPause(0, 0, java.time.Duration.ofSeconds(1)), Map.of("small", 48), store,
                "http://photos.example", new PhotoSyncProperties.Limits(DataSize.ofMegabytes(4), 40_000_000, 4.0),
                new GraphSettings("http://127.0.0.1:1/v1.0", "", "", ""), new TopicSettings(1, (short) 0),
                new PhotoSyncProperties.Links("a-photo-link-secret-of-32-chars!", java.time.Duration.ofHours(1)));
        synchronizer = new PhotoSynchronizer(graph, photos, new ThumbnailRenderer(new ThumbnailRenderer.Limits(
                4_000_000, 40_000_000, 4.0)), kafka, properties, registry, new PhotoLanes(4));
        ProfilePhoto photo = new ProfilePhoto();
        photo.setAdditionalData(Map.of("@odata.mediaEtag", "W/\"v1\""));
        when(graph.users().byUserId(USER).photo().get()).thenReturn(photo);
        when(graph.users().byUserId(USER).photos().byProfilePhotoId("48x48").content().get())
                .thenAnswer(invocation -> new ByteArrayInputStream(jpeg()));
        when(graph.users().byUserId(USER).photo().content().get())
                .thenAnswer(invocation -> new ByteArrayInputStream(jpeg()));
    }

    @Test
    void fetchesTheSmallestGraphSizeThatCoversTheThumbnailsAndFallsBackToTheUploadedPhoto() {
        when(kafka.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(
                mock(SendResult.class)));
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("synced");
        verify(graph.users().byUserId(USER).photos().byProfilePhotoId("48x48").content()).get();
        verify(graph.users().byUserId(USER).photo().content(), times(0)).get();
        assertThat(registry.counter("photo_sync_graph_size_fallbacks").count()).isZero();

        // a photo Graph keeps in one size only (or smaller than the size asked for): 404 for the size
        var sized = graph.users().byUserId(USER).photos().byProfilePhotoId("48x48").content();
        doThrow(graphError(404)).when(sized).get();
        ProfilePhoto newer = new ProfilePhoto();
        newer.setAdditionalData(Map.of("@odata.mediaEtag", "W/\"v2\""));
        when(graph.users().byUserId(USER).photo().get()).thenReturn(newer);
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.BULK)).isEqualTo("synced");
        verify(graph.users().byUserId(USER).photo().content()).get();
        assertThat(registry.counter("photo_sync_graph_size_fallbacks").count()).isEqualTo(1);
        assertThat(photos.sourceEtag(USER)).contains("W/\"v2\"");
    }

    @Test
    void aChangeWhoseEtagIsDoneAlreadyCostsNoGraphCall() {
        when(kafka.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(
                mock(SendResult.class)));
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.BULK)).isEqualTo("synced");
        var metadata = graph.users().byUserId(USER).photo();
        verify(metadata, times(1)).get();

        PhotoChanged replay = new PhotoChanged("e-replay", USER, "graph", Instant.now(), "etag-changed", "W/\"v1\"");
        assertThat(synchronizer.sync(replay, PhotoLanes.Lane.BULK)).isEqualTo("unchanged");
        verify(metadata, times(1)).get();
        // an etag it has not done goes to Graph
        PhotoChanged other = new PhotoChanged("e-other", USER, "graph", Instant.now(), "etag-changed", "W/\"v9\"");
        assertThat(synchronizer.sync(other, PhotoLanes.Lane.BULK)).isEqualTo("unchanged");
        verify(metadata, times(2)).get();
    }

    @Test
    void aRetryAfterAFailedAnnouncementAnnounces() {
        when(kafka.send(any(ProducerRecord.class)))
                .thenReturn(CompletableFuture.failedFuture(new IllegalStateException("broker away")))
                .thenReturn(CompletableFuture.completedFuture(mock(SendResult.class)));

        assertThatThrownBy(() -> synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).hasMessageContaining("did not take");
        assertThat(photos.sourceEtag(USER)).contains("W/\"v1\"");
        assertThat(photos.announcedEtag(USER)).isEmpty();

        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("announced");
        assertThat(photos.announcedEtag(USER)).contains("W/\"v1\"");
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("unchanged");
        verify(kafka, times(2)).send(any(ProducerRecord.class));
    }

    @Test
    void aRemovalWhoseAnnouncementFailedClearsTheFieldsOnTheRetry() {
        when(kafka.send(any(ProducerRecord.class)))
                .thenReturn(CompletableFuture.completedFuture(mock(SendResult.class)))
                .thenReturn(CompletableFuture.failedFuture(new IllegalStateException("broker away")))
                .thenReturn(CompletableFuture.completedFuture(mock(SendResult.class)));
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("synced");
        ODataError gone = graphError(404);
        var photoRequest = graph.users().byUserId(USER).photo();
        doThrow(gone).when(photoRequest).get();

        assertThatThrownBy(() -> synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).hasMessageContaining("did not take");
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("removed");
        assertThat(photos.announcedEtag(USER)).isEmpty();
        assertThat(synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isEqualTo("no-photo");
    }

    @Test
    void graphRefusingForGoodIsADeadLetterButThrottlingIsRetried() {
        ODataError forbidden = graphError(403);
        var photoRequest = graph.users().byUserId(USER).photo();
        doThrow(forbidden).when(photoRequest).get();
        assertThatThrownBy(() -> synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isInstanceOf(GraphRefusedException.class)
                .hasMessageContaining("403");

        ODataError throttled = graphError(429);
        doThrow(throttled).when(photoRequest).get();
        assertThatThrownBy(() -> synchronizer.sync(requested(), PhotoLanes.Lane.PRIORITY)).isSameAs(throttled);
    }

    /** An error as the SDK raises it for a Graph answer of {@code status}. */
    private static ODataError graphError(int status) {
        return new ODataError() {
            private static final long serialVersionUID = 1L;

            {
                setResponseStatusCode(status);
            }
        };
    }

    private static PhotoChanged requested() {
        return new PhotoChanged("e-" + System.nanoTime(), USER, "hr-system", Instant.now(), "requested", null);
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
