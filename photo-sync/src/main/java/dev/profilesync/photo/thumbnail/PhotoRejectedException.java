package dev.profilesync.photo.thumbnail;

/** An image that will never make thumbnails, whatever is retried; {@link #reason()} is the metric label. */
public class PhotoRejectedException extends Exception {

    /** Every reason a photo is rejected for. */
    public static final java.util.List<String> REASONS = java.util.List.of("empty", "too-large", "not-an-image",
            "corrupt", "too-many-pixels", "aspect-ratio");

    private final String reason;

    public PhotoRejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PhotoRejectedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@code empty}, {@code too-large}, {@code not-an-image}, {@code too-many-pixels}, {@code aspect-ratio} or {@code corrupt}. */
    public String reason() {
        return reason;
    }
}
