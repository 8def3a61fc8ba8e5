package dev.profilesync.applier;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import dev.profilesync.events.FieldOwner;
import dev.profilesync.events.TopicSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of profile-applier, prefix {@code profile-sync.applier}, validated at start-up.
 *
 * @param consumers consumer threads of this instance; threads beyond the partitions assigned to it stay idle
 * @param ownership which sources own which fields
 * @param topics how the service creates the topics it reads and dead-letters to, when they do not exist
 * @param maxClockSkew a change observed further in the future than this is dead-lettered ({@code time-out-of-range})
 * @param unclassifiedTries how often a poll is tried when the store fails it for a reason that is neither transient
 *        nor a refused value, before its refused records are isolated and dead-lettered
 * @param photoLinks how the read API signs the photo links it hands out with a profile
 */
@Validated
@ConfigurationProperties("profile-sync.applier")
public record ApplierProperties(@Min(1) int consumers, @NotEmpty Map<FieldOwner, List<String>> ownership,
        @Valid @NotNull TopicSettings topics, @NotNull Duration maxClockSkew, @Min(1) int unclassifiedTries,
        @Valid @NotNull PhotoLinkSettings photoLinks) {

    /**
     * @param secret the HMAC key shared with photo-sync (at least 32 characters); empty: profiles carry no photo
     *        links, only the stored {@code photoUrl}
     * @param lifetime how long a link lives at most
     * @param sizes the thumbnail sizes photo-sync renders, one link each
     */
    public record PhotoLinkSettings(@NotNull String secret, @NotNull Duration lifetime, @NotEmpty List<String> sizes) {

        public boolean enabled() {
            return !secret.isEmpty();
        }

        @Override
        public String toString() {
            return "PhotoLinkSettings[secret=" + (secret.isEmpty() ? "" : "******") + ", lifetime=" + lifetime
                    + ", sizes=" + sizes + "]";
        }
    }
}
