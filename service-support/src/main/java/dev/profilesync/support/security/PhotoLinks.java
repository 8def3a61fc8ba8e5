package dev.profilesync.support.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed photo links, so a thumbnail can be shown in an {@code <img>} tag without handing the browser a
 * token. profile-applier's read API signs a link for each thumbnail size of a profile it returns; photo-sync serves a
 * thumbnail only for a link whose signature is right and whose expiry has not passed (or to a caller with a
 * {@value ServiceSecurity#READ} token). Both share the secret.
 * <p>
 * A link is {@code <base>/<size>?expires=<epoch seconds>&signature=<HMAC-SHA256, base64url>} over the user id, the
 * size and the expiry. The expiry is rounded up to a step of a quarter of the lifetime, so the same profile read twice
 * within a step gets the same link and browsers and caches keep hitting: a link lives between 3/4 and all of
 * {@code lifetime}.
 */
public final class PhotoLinks {

    /** The shortest secret accepted: 32 characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** What a presented link is. */
    public enum Verdict {
        VALID, EXPIRED, BAD_SIGNATURE, UNSIGNED
    }

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;

    public PhotoLinks(String secret, Duration lifetime, Clock clock) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the photo link secret must have at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        if (lifetime.toSeconds() < 4) {
            throw new IllegalArgumentException("a photo link must live at least 4 seconds");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** When links signed now expire. */
    public Instant expiry() {
        long step = lifetime.toSeconds() / 4;
        long now = clock.instant().getEpochSecond();
        return Instant.ofEpochSecond((now / step + 1) * step + lifetime.toSeconds() - step);
    }

    /** A link to one thumbnail size, under {@code base} (the profile's {@code photoUrl}). */
    public String sign(String base, String userId, String size, Instant expiry) {
        long expires = expiry.getEpochSecond();
        return base + "/" + URLEncoder.encode(size, StandardCharsets.UTF_8) + "?expires=" + expires + "&signature="
                + signature(userId, size, expires);
    }

    /** Whether the presented {@code expires} and {@code signature} open this user's thumbnail of this size. */
    public Verdict verify(String userId, String size, String expires, String signature) {
        if (expires == null && signature == null) {
            return Verdict.UNSIGNED;
        }
        if (expires == null || signature == null || expires.length() > 19 || !expires.chars().allMatch(Character::isDigit)
                || expires.isEmpty()) {
            return Verdict.BAD_SIGNATURE;
        }
        long expiresAt = Long.parseLong(expires);
        byte[] expected = signature(userId, size, expiresAt).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.BAD_SIGNATURE;
        }
        return clock.instant().getEpochSecond() < expiresAt ? Verdict.VALID : Verdict.EXPIRED;
    }

    private String signature(String userId, String size, long expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(("profile-sync photo link v1\n" + userId + "\n" + size + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
