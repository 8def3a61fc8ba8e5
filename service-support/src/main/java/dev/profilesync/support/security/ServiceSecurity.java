package dev.profilesync.support.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * How every profile-sync service locks its HTTP doors. Each service states its own rules in one
 * {@code SecurityFilterChain}; what they share is here:
 * <ul>
 * <li>a stateless API: no sessions, cookies, CSRF tokens, login forms or saved requests;</li>
 * <li>the app roles of a bearer token ({@value #READ}, {@value #OPERATE}) read from the {@code roles} claim (Entra ID
 * app roles, client-credential tokens) and the {@code scp} claim (delegated scopes), named as they are there;</li>
 * <li>the operations paths that stay open for probes and scrapes. They are served on the management port only
 * ({@code management.server.port}), which the network policies let only the kubelet and Prometheus reach.</li>
 * </ul>
 */
public final class ServiceSecurity {

    /** App role for reading profiles (profiles, search, sync status, photos, the OpenAPI description). */
    public static final String READ = "Profiles.Read";

    /** App role for operating the system (dead-letter replay, held deletions). */
    public static final String OPERATE = "Profiles.Operate";

    /** Paths open without a credential: health for the probes, info, and the metrics Prometheus scrapes. */
    public static final String[] OPEN_OPERATIONS = { "/actuator/health", "/actuator/health/**", "/actuator/info",
            "/actuator/prometheus" };

    private ServiceSecurity() {
    }

    /** Turns off everything a browser session would need and a stateless API must not have. */
    public static HttpSecurity statelessApi(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }

    /** Authorities from the {@code roles} and {@code scp} claims of a JWT, without a prefix. */
    public static JwtAuthenticationConverter appRoles() {
        JwtGrantedAuthoritiesConverter appRoles = new JwtGrantedAuthoritiesConverter();
        appRoles.setAuthoritiesClaimName("roles");
        appRoles.setAuthorityPrefix("");
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        scopes.setAuthoritiesClaimName("scp");
        scopes.setAuthorityPrefix("");
        Converter<Jwt, Collection<GrantedAuthority>> both = jwt -> {
            List<GrantedAuthority> authorities = new ArrayList<>(appRoles.convert(jwt));
            if (jwt.hasClaim("scp")) {
                authorities.addAll(scopes.convert(jwt));
            }
            return authorities;
        };
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(both);
        return converter;
    }

    /**
     * Spring Security's own observations (a timer per filter, per authentication, per authorization) off; the request
     * as a whole stays observed by Spring MVC.
     */
    public static SecurityObservationSettings observationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
