package dev.profilesync.applier;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may read profiles and operate the applier. Reads (profile, search, sync status, the OpenAPI description) need
 * an OAuth2 bearer token (a JWT) carrying the app role {@value #READ}; dead-letter replay needs {@value #OPERATE}.
 * Roles are read from the {@code roles} claim (Entra ID app roles) and the {@code scp} claim (delegated scopes). The
 * token's issuer and keys are Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*} settings: Entra ID
 * in production, the embedded default's own key locally. Health, info and metrics stay open for probes and scrapes.
 */
@Configuration(proxyBeanMethods = false)
class ApplierSecurity {

    static final String READ = "Profiles.Read";
    static final String OPERATE = "Profiles.Operate";

    @Bean
    SecurityFilterChain applierFilterChain(HttpSecurity http) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/deadletters").hasAuthority(OPERATE)
                        .requestMatchers("/api/v1/profiles", "/api/v1/profiles/**", "/v3/api-docs",
                                "/v3/api-docs/**").hasAuthority(READ)
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(roles())))
                .build();
    }

    /** Authorities from the {@code roles} and {@code scp} claims, as they are named there. */
    private static JwtAuthenticationConverter roles() {
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
}
