package dev.profilesync.graph;

import com.microsoft.graph.models.ProfilePhoto;

/**
 * A profile photo's {@code @odata.mediaEtag}: Graph changes it whenever the photo's bytes change, so comparing it with
 * the last one seen tells whether a photo changed without downloading it. The SDK's typed model does not map it; it
 * arrives among the additional data.
 */
public final class MediaEtags {

    /** What stands for "no photo" or "not known": an empty etag. */
    public static final String NONE = "";

    private MediaEtags() {
    }

    /** The photo's media etag, {@link #NONE} when the photo is null or carries none. */
    public static String of(ProfilePhoto photo) {
        Object value = photo == null ? null : photo.getAdditionalData().get("@odata.mediaEtag");
        return value == null ? NONE : value.toString();
    }
}
