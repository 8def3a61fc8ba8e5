package dev.profilesync.photo.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.ProfileField;
import dev.profilesync.events.Sources;
import dev.profilesync.events.UserChanged;
import dev.profilesync.events.UserEventCodec;
import dev.profilesync.graph.MediaEtags;
import dev.profilesync.photo.PhotoSyncProperties;
import dev.profilesync.photo.store.PhotoStore;
import dev.profilesync.photo.thumbnail.PhotoRejectedException;
import dev.profilesync.photo.thumbnail.ThumbnailRenderer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Syncs one user's photo: reads the photo's media etag from Graph and stops when thumbnails of that etag exist and
 * were announced (the same event twice does the work once); otherwise downloads the photo, renders the thumbnails,
 * stores them and announces the new photo to the profile store as a change of the photo fields from source
 * {@value #SOURCE}. The thumbnails and the announced fields never diverge: what was announced is recorded after the
 * announcement, so a retry announces what a failed attempt did not. A removed photo, or a user who left the
 * directory (Graph answers 404 for both), removes the thumbnails and clears the fields. A photo that cannot make
 * thumbnails is skipped with a logged reason and {@code photo_sync_rejected_total{reason}}; a request Graph refuses
 * for good is dead-lettered ({@link GraphRefusedException}).
 */
@Component
class PhotoSynchronizer {

    static final String SOURCE = Sources.PHOTO_SYNC;
    private static final Logger log = LoggerFactory.getLogger(PhotoSynchronizer.class);

    private final GraphServiceClient graph;
    private final PhotoStore store;
    private final ThumbnailRenderer renderer;
    private final KafkaTemplate<String, byte[]> kafka;
    private final PhotoSyncProperties properties;
    private final MeterRegistry registry;
    private final PhotoLanes lanes;
    private final java.util.concurrent.locks.ReentrantLock[] users = new java.util.concurrent.locks.ReentrantLock[1024];
    /** The Graph photo size fetched, e.g. {@code 360x360}: the smallest that covers the largest thumbnail. */
    private final String graphSize;
    private final UserEventCodec codec = new UserEventCodec();
    private final Clock clock = Clock.systemUTC();

    PhotoSynchronizer(GraphServiceClient graph, PhotoStore store, ThumbnailRenderer renderer,
            KafkaTemplate<String, byte[]> kafka, PhotoSyncProperties properties, MeterRegistry registry,
            PhotoLanes lanes) {
        this.graph = graph;
        this.store = store;
        this.renderer = renderer;
        this.kafka = kafka;
        this.properties = properties;
        this.registry = registry;
        this.lanes = lanes;
        java.util.Arrays.setAll(users, i -> new java.util.concurrent.locks.ReentrantLock());
        this.graphSize = GraphPhotoSizes.covering(properties.sizes().values().stream().mapToInt(Integer::intValue)
                .max().orElseThrow());
        // every series the dashboard and the alerts read exists from the start, at zero
        PhotoRejectedException.REASONS.forEach(reason -> registry.counter("photo_sync_rejected", "reason", reason));
        List.of("synced", "announced", "unchanged", "removed", "no-photo", "rejected")
                .forEach(outcome -> registry.counter("photo_sync_photos", "outcome", outcome));
        registry.counter("photo_sync_graph_errors", "status", "none");
    }

    /**
     * @return what happened: {@code synced}, {@code announced} (thumbnails were there, their fields not yet in the
     *     profile), {@code unchanged}, {@code removed}, {@code no-photo} or {@code rejected}
     * @throws GraphRefusedException Graph refuses the request for good
     */
    String sync(PhotoChanged event, PhotoLanes.Lane lane) {
        // One sync of a user at a time across both lanes: each reads Graph's photo as it is now, so the later of two
        // can never store an older photo over a newer one. The priority lane counts as active only once it holds
        // the user, so a bulk sync of that user it waits for is never held back by it.
        if (lane == PhotoLanes.Lane.BULK && lanes.limitsBulk() && !done(event.userId(), event.mediaEtag())) {
            // outside the user's lock: a bulk sync waiting for its slot never holds up a requested sync of that user
            lanes.awaitBulkSlot();
        }
        java.util.concurrent.locks.ReentrantLock user = users[Math.floorMod(event.userId().hashCode(), users.length)];
        user.lock();
        try {
            if (lane == PhotoLanes.Lane.PRIORITY) {
                lanes.beginPriority();
                try {
                    return sync(event.userId(), event.mediaEtag(), lane);
                } finally {
                    lanes.endPriority();
                }
            }
            return sync(event.userId(), event.mediaEtag(), lane);
        } finally {
            user.unlock();
        }
    }

    private String sync(String user, String knownEtag, PhotoLanes.Lane lane) {
        if (done(user, knownEtag)) {
            // a replay or duplicate of a change already done: no Graph call at all
            return outcome("unchanged");
        }
        ProfilePhoto photo;
        byte[] bytes;
        try {
            photo = lanes.graph(lane, () -> graph.users().byUserId(user).photo().get());
            String etag = MediaEtags.of(photo);
            if (!etag.isEmpty() && store.sourceEtag(user).filter(etag::equals).isPresent()) {
                if (store.announcedEtag(user).filter(etag::equals).isPresent()) {
                    return outcome("unchanged");
                }
                announce(user, photoFields(user, etag));
                store.markAnnounced(user, etag);
                return outcome("announced");
            }
            bytes = download(user, lane);
        } catch (ODataError e) {
            // 404: no photo, or no user any more (a leaver); either way the thumbnails go
            if (e.getResponseStatusCode() == 404) {
                return outcome(removed(user) ? "removed" : "no-photo");
            }
            registry.counter("photo_sync_graph_errors", "status", String.valueOf(e.getResponseStatusCode()))
                    .increment();
            if (GraphRefusedException.permanent(e.getResponseStatusCode())) {
                throw new GraphRefusedException(e.getResponseStatusCode(), user, e);
            }
            throw e;
        }
        String etag = MediaEtags.of(photo);
        try {
            List<ThumbnailRenderer.Thumbnail> thumbnails = lanes.cpu(lane, () -> renderer.render(bytes,
                    properties.sizes()));
            store.save(user, etag, thumbnails);
        } catch (PhotoRejectedException e) {
            log.warn("Photo of {} (etag {}) skipped: {} ({})", user, etag, e.reason(), e.getMessage());
            registry.counter("photo_sync_rejected", "reason", e.reason()).increment();
            return outcome("rejected");
        }
        announce(user, photoFields(user, etag));
        store.markAnnounced(user, etag);
        return outcome("synced");
    }

    /** Whether thumbnails of this etag are stored and announced already. */
    private boolean done(String user, String etag) {
        return etag != null && !etag.isEmpty() && store.sourceEtag(user).filter(etag::equals).isPresent()
                && store.announcedEtag(user).filter(etag::equals).isPresent();
    }

    private Map<ProfileField, Object> photoFields(String user, String etag) {
        Map<ProfileField, Object> fields = new HashMap<>();
        fields.put(ProfileField.PHOTO_ETAG, etag);
        fields.put(ProfileField.PHOTO_UPDATED_AT, clock.instant().toString());
        fields.put(ProfileField.PHOTO_URL, properties.publicUrl() + "/api/v1/photos/" + user);
        return fields;
    }

    /**
     * Removes the thumbnails and clears the photo fields. The announced etag is cleared only after the profile store
     * took the change, so a retry after a failed announcement clears the fields again.
     */
    private boolean removed(String user) {
        boolean hadThumbnails = store.remove(user);
        if (!hadThumbnails && store.announcedEtag(user).isEmpty()) {
            return false;
        }
        Map<ProfileField, Object> cleared = new HashMap<>();
        cleared.put(ProfileField.PHOTO_ETAG, null);
        cleared.put(ProfileField.PHOTO_UPDATED_AT, null);
        cleared.put(ProfileField.PHOTO_URL, null);
        announce(user, cleared);
        store.markAnnounced(user, "");
        return true;
    }

    /**
     * The photo's bytes in the smallest Graph size that covers the largest thumbnail, or the photo as uploaded when
     * Graph does not have that size (a photo smaller than it, or one Graph keeps in one size only); at most one byte
     * more than the limit, so that the renderer can refuse it.
     */
    private byte[] download(String user, PhotoLanes.Lane lane) {
        try {
            return lanes.graph(lane, () -> read(graph.users().byUserId(user).photos().byProfilePhotoId(graphSize)
                    .content().get()));
        } catch (ODataError e) {
            if (e.getResponseStatusCode() != 404) {
                throw e;
            }
            registry.counter("photo_sync_graph_size_fallbacks").increment();
            return lanes.graph(lane, () -> read(graph.users().byUserId(user).photo().content().get()));
        }
    }

    private byte[] read(InputStream content) {
        try (InputStream in = content) {
            return in == null ? new byte[0]
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, properties.limits().maxSize().toBytes() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void announce(String user, Map<ProfileField, Object> fields) {
        Instant now = clock.instant();
        UserChanged change = new UserChanged(SOURCE + "-" + UUID.randomUUID(), user, SOURCE, now, fields);
        try {
            kafka.send(codec.toRecord(change)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing the photo of " + user, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the photo change of " + user, e);
        }
    }

    private String outcome(String outcome) {
        registry.counter("photo_sync_photos", "outcome", outcome).increment();
        return outcome;
    }
}
