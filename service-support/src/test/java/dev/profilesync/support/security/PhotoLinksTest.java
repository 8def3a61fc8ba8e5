package dev.profilesync.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.profilesync.support.security.PhotoLinks.Verdict;

class PhotoLinksTest {

    private static final String SECRET = "a-photo-link-secret-of-32-chars!";
    private static final String USER = "6e7b768e-07e2-4810-8459-485f84f8f204";
    private static final String BASE = "https://photos.example.com/api/v1/photos/" + USER;
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:07Z");

    private static PhotoLinks at(Instant now) {
        return new PhotoLinks(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Map<String, String> query(String link) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return parameters;
    }

    @Test
    void aSignedLinkOpensItsThumbnailUntilItExpires() {
        PhotoLinks links = at(NOW);
        String link = links.sign(BASE, USER, "small", links.expiry());
        assertThat(link).startsWith(BASE + "/small?expires=");
        Map<String, String> q = query(link);
        assertThat(links.verify(USER, "small", q.get("expires"), q.get("signature"))).isEqualTo(Verdict.VALID);

        Instant expiry = Instant.ofEpochSecond(Long.parseLong(q.get("expires")));
        assertThat(Duration.between(NOW, expiry)).isBetween(Duration.ofMinutes(45), Duration.ofHours(1));
        assertThat(at(expiry.minusSeconds(1)).verify(USER, "small", q.get("expires"), q.get("signature")))
                .isEqualTo(Verdict.VALID);
        assertThat(at(expiry).verify(USER, "small", q.get("expires"), q.get("signature")))
                .isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void aLinkOpensNothingElse() {
        PhotoLinks links = at(NOW);
        Map<String, String> q = query(links.sign(BASE, USER, "small", links.expiry()));
        String otherUser = "0f0f0f0f-07e2-4810-8459-485f84f8f204";
        assertThat(links.verify(otherUser, "small", q.get("expires"), q.get("signature")))
                .isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(links.verify(USER, "large", q.get("expires"), q.get("signature")))
                .isEqualTo(Verdict.BAD_SIGNATURE);
        long later = Long.parseLong(q.get("expires")) + 86_400;
        assertThat(links.verify(USER, "small", String.valueOf(later), q.get("signature")))
                .as("a longer life cannot be claimed").isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(new PhotoLinks("another-secret-of-at-least-32-chars", Duration.ofHours(1),
                Clock.fixed(NOW, ZoneOffset.UTC)).verify(USER, "small", q.get("expires"), q.get("signature")))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void missingOrMalformedPartsAreRefused() {
        PhotoLinks links = at(NOW);
        assertThat(links.verify(USER, "small", null, null)).isEqualTo(Verdict.UNSIGNED);
        assertThat(links.verify(USER, "small", "1800000000", null)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(links.verify(USER, "small", null, "abc")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(links.verify(USER, "small", "-5", "abc")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(links.verify(USER, "small", "", "abc")).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(links.verify(USER, "small", "99999999999999999999999", "abc")).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void readsWithinAStepGetTheSameLinkSoCachesKeepHitting() {
        PhotoLinks first = at(NOW);
        PhotoLinks secondsLater = at(NOW.plusSeconds(30));
        assertThat(secondsLater.sign(BASE, USER, "small", secondsLater.expiry()))
                .isEqualTo(first.sign(BASE, USER, "small", first.expiry()));
    }

    @Test
    void aShortSecretRefusesToStart() {
        assertThatThrownBy(() -> new PhotoLinks("short", Duration.ofHours(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    }
}
