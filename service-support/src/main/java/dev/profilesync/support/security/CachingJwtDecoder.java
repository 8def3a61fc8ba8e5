package dev.profilesync.support.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the tokens a {@link JwtDecoder} accepted, until they expire. A client sends the same bearer token with
 * every request for as long as it lives (an hour for Entra ID), and checking it again (parsing, an RSA signature,
 * the claims) was a tenth of a profile read's CPU. The key is the whole token, signature included, so only a token
 * byte for byte equal to one that passed every check is taken from memory; a remembered token is given up once its
 * expiry (plus the validators' 60 s clock skew) has passed, and the delegate decides again (and refuses it). Tokens
 * without an expiry are not remembered. At most {@code capacity} tokens: when full, it starts over.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    /** The clock skew Spring Security's timestamp validator allows by default. */
    static final Duration SKEW = Duration.ofSeconds(60);

    private final JwtDecoder delegate;
    private final int capacity;
    private final Clock clock;
    private final ConcurrentHashMap<String, Jwt> accepted = new ConcurrentHashMap<>();

    public CachingJwtDecoder(JwtDecoder delegate, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.delegate = delegate;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = accepted.get(token);
        Instant now = clock.instant();
        if (known != null) {
            if (now.isBefore(known.getExpiresAt().plus(SKEW))) {
                return known;
            }
            accepted.remove(token, known);
        }
        Jwt jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt().plus(SKEW))) {
            if (accepted.size() >= capacity) {
                accepted.clear();
            }
            accepted.put(token, jwt);
        }
        return jwt;
    }

    /** Tokens remembered now (for tests). */
    int size() {
        return accepted.size();
    }

    /**
     * Wraps the application's {@link JwtDecoder} (Spring Boot's, from {@code spring.security.oauth2.resourceserver.jwt.*})
     * in a cache of 4,096 tokens. Declare it as a {@code static @Bean}.
     */
    public static BeanPostProcessor cachingDecoders() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JwtDecoder decoder && !(bean instanceof CachingJwtDecoder)
                        ? new CachingJwtDecoder(decoder, 4_096, Clock.systemUTC()) : bean;
            }
        };
    }
}
