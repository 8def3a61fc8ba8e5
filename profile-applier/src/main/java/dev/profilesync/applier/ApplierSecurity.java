package dev.profilesync.applier;

import static dev.profilesync.support.security.ServiceSecurity.OPERATE;
import static dev.profilesync.support.security.ServiceSecurity.READ;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

import dev.profilesync.support.security.BearerTokens;
import dev.profilesync.support.security.CachingJwtDecoder;
import dev.profilesync.support.security.ServiceSecurity;

/**
 * Who may read profiles and operate the applier. Reads (profile, search, sync status, the OpenAPI description) need
 * an OAuth2 bearer token (a JWT) carrying the app role {@code Profiles.Read}; dead-letter replay needs
 * {@code Profiles.Operate}. The token's issuer and keys are Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*} settings: Entra ID in production, the embedded default's own
 * key locally. Health, info and metrics stay open for probes and scrapes, on the management port.
 */
@Configuration(proxyBeanMethods = false)
class ApplierSecurity {

    /** A client's token is checked once while it lives, not on every read (see {@link CachingJwtDecoder}). */
    @Bean
    static BeanPostProcessor cachingJwtDecoder() {
        return CachingJwtDecoder.cachingDecoders();
    }

    /**
     * No observation per security filter, authentication and authorization: on the read path they were a fifth of a
     * request's CPU (a Micrometer observation around each of some fifteen filters). Requests stay measured as a whole
     * ({@code http_server_requests_seconds}, by status, so refusals show as 401 and 403).
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return ServiceSecurity.observationSettings();
    }

    @Bean
    SecurityFilterChain applierFilterChain(HttpSecurity http) throws Exception {
        return ServiceSecurity.statelessApi(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        .requestMatchers("/actuator/deadletters").hasAuthority(OPERATE)
                        .requestMatchers("/api/v1/profiles", "/api/v1/profiles/**", "/v3/api-docs",
                                "/v3/api-docs/**").hasAuthority(READ)
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(server -> server.bearerTokenResolver(new BearerTokens())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(ServiceSecurity.appRoles())))
                .build();
    }
}
