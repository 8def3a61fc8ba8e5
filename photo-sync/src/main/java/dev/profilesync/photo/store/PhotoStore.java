package dev.profilesync.photo.store;

import java.util.List;
import java.util.Optional;

import dev.profilesync.photo.thumbnail.ThumbnailRenderer.Thumbnail;

/**
 * Thumbnails per user, versioned by content: a new version becomes visible all at once, and a reader never sees a
 * half-written file. The file system is the default; an object store (S3-compatible) can implement the same.
 */
public interface PhotoStore {

    /** A thumbnail as stored: its bytes and the version it belongs to (the HTTP ETag). */
    record StoredThumbnail(String version, byte[] jpeg) {
    }

    /** The media etag of the Graph photo the current thumbnails were made from, or empty. */
    Optional<String> sourceEtag(String userId);

    /** Stores the thumbnails of a photo and makes them current; returns the new version. */
    String save(String userId, String sourceEtag, List<Thumbnail> thumbnails);

    Optional<StoredThumbnail> read(String userId, String size);

    /** Removes the user's thumbnails; true when there were any. The announced etag stays until cleared. */
    boolean remove(String userId);

    /**
     * The media etag whose photo fields were last announced to the profile store, or empty when none are (or they
     * were cleared). Kept apart from the thumbnails, so a failed announcement is noticed and made again.
     */
    Optional<String> announcedEtag(String userId);

    /** Records that the profile store was told about {@code etag}; an empty etag records that the fields were cleared. */
    void markAnnounced(String userId, String etag);
}
