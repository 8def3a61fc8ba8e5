package dev.profilesync.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class CachingJwtDecoderTest {

    private final Instant start = Instant.parse("2026-11-26T08:00:00Z");
    private final AtomicInteger decoded = new AtomicInteger();
    private final MovingClock clock = new MovingClock(start);

    private CachingJwtDecoder decoder(int capacity) {
        return new CachingJwtDecoder(delegate(clock), capacity, clock);
    }

    /** Accepts tokens named "good-<seconds to expiry>", or "forever" (no expiry), refuses everything else. */
    private JwtDecoder delegate(Clock clock) {
        return token -> {
            decoded.incrementAndGet();
            Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "RS256").subject("client");
            if (token.equals("forever")) {
                return jwt.claim("scope", "x").build();
            }
            if (!token.startsWith("good-")) {
                throw new BadJwtException("bad signature");
            }
            Instant expiry = start.plusSeconds(Long.parseLong(token.substring(5)));
            if (!clock.instant().isBefore(expiry.plus(CachingJwtDecoder.SKEW))) {
                throw new BadJwtException("expired");
            }
            return jwt.expiresAt(expiry).build();
        };
    }

    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenIsCheckedOnceWhileItLives() {
        CachingJwtDecoder decoder = decoder(10);
        for (int i = 0; i < 100; i++) {
            assertThat(decoder.decode("good-3600").getSubject()).isEqualTo("client");
        }
        assertThat(decoded.get()).isEqualTo(1);
    }

    @Test
    void anExpiredTokenGoesBackToTheDelegateAndIsRefused() {
        CachingJwtDecoder decoder = decoder(10);
        decoder.decode("good-600");
        clock.now = start.plus(Duration.ofSeconds(600)).plus(CachingJwtDecoder.SKEW);
        assertThatThrownBy(() -> decoder.decode("good-600")).isInstanceOf(BadJwtException.class)
                .hasMessage("expired");
        assertThat(decoded.get()).isEqualTo(2);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void refusedTokensAndTokensWithoutExpiryAreNeverRemembered() {
        CachingJwtDecoder decoder = decoder(10);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
            decoder.decode("forever");
        }
        assertThat(decoded.get()).isEqualTo(6);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        CachingJwtDecoder decoder = decoder(5);
        for (int i = 0; i < 23; i++) {
            decoder.decode("good-" + (3600 + i));
            assertThat(decoder.size()).isLessThanOrEqualTo(5);
        }
    }
}
