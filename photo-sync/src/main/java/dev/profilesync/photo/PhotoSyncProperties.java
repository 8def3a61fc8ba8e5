package dev.profilesync.photo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.graph.GraphSettings;
import dev.profilesync.events.TopicSettings;
import dev.profilesync.support.security.PhotoLinks;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Settings of photo-sync, prefix {@code profile-sync.photo}, validated at start-up.
 *
 * @param consumers consumer threads of the bulk lane (new users, detected changes, sweeps)
 * @param priorityConsumers consumer threads of the priority lane (requested photo syncs)
 * @param graphConcurrency most Graph photo requests in flight (Graph allows 4 per app)
 * @param bulkRate most bulk photos (new users, detected changes, sweeps) started a second; 0 = no limit. Requested
 *        syncs are never limited. With {@code consumers} threads and 20 records a poll, a thread takes
 *        {@code 20 * consumers / bulkRate} seconds a poll: keep that under {@code max.poll.interval.ms} (5 min)
 * @param bulkPause when the bulk lane gives way to a profile backlog
 * @param sizes thumbnail name to side in pixels
 * @param store where thumbnails are kept
 * @param graph how to reach Microsoft Graph for photos
 * @param topics how the service creates the topics it reads and dead-letters to
 * @param publicUrl base URL under which this service is reached; profiles link to {@code <publicUrl>/api/v1/photos/<id>}
 * @param links how the signed photo links the read API hands out are checked
 */
@Validated
@ConfigurationProperties("profile-sync.photo")
public record PhotoSyncProperties(@Min(1) int consumers, @Min(1) int priorityConsumers, @Min(1) int graphConcurrency,
        @DecimalMin("0.0") double bulkRate, @Valid @NotNull BulkPause bulkPause,
        @NotEmpty Map<String, Integer> sizes, @NotNull Path store, @NotBlank String publicUrl,
        @Valid @NotNull Limits limits, @Valid @NotNull GraphSettings graph, @Valid @NotNull TopicSettings topics,
        @Valid @NotNull Links links) {

    /**
     * @param secret the HMAC key shared with profile-applier, which signs the links (at least 32 characters)
     * @param lifetime how long a link lives at most; links are checked against the expiry they carry
     */
    public record Links(@NotNull @Size(min = PhotoLinks.MIN_SECRET_LENGTH) String secret, @NotNull Duration lifetime) {

        @Override
        public String toString() {
            return "Links[secret=******, lifetime=" + lifetime + "]";
        }
    }

    /**
     * The bulk lane gives way to the profiles: while the profile applier's group has more than {@code backlog}
     * changes to apply on {@code directory.user-changes}, or changes arrive there faster than {@code inflow} a second
     * (a full load, a burst of intake), the bulk lane's consumers are paused; they resume once both are under half of
     * their limit. Requested syncs are never paused.
     *
     * @param backlog changes not yet applied above which the bulk lane pauses; 0 = never pause for a backlog
     * @param inflow changes a second arriving on {@code directory.user-changes} above which the bulk lane pauses, even
     *        while the applier keeps up with them; 0 = never pause for the inflow
     * @param checkInterval how often the backlog and the inflow are read (four admin requests to Kafka)
     */
    public record BulkPause(@Min(0) long backlog, @Min(0) long inflow, @NotNull Duration checkInterval) {
    }

    /**
     * @param maxSize largest photo accepted
     * @param maxPixels most pixels a photo may declare (checked before decoding)
     * @param maxAspectRatio longest side over shortest side
     */
    public record Limits(@NotNull DataSize maxSize, @Min(1) long maxPixels, @DecimalMin("1.0") double maxAspectRatio) {
    }
}
