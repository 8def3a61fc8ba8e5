package dev.profilesync.directory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.profilesync.support.security.BearerTokens;
import dev.profilesync.support.security.ServiceSecurity;

/**
 * Who may use directory-sync's doors. Graph's notifications come in unauthenticated but carry the clientState the
 * webhook checks; deciding held deletions needs an operator's bearer token with the app role
 * {@code Profiles.Operate} (the same issuer settings as profile-applier's reads); health, info and metrics stay open
 * on the management port; everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
class DirectorySecurity {

    @Bean
    SecurityFilterChain directoryFilterChain(HttpSecurity http) throws Exception {
        return ServiceSecurity.statelessApi(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/graph/notifications").permitAll()
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        .requestMatchers("/actuator/helddeletions").hasAuthority(ServiceSecurity.OPERATE)
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(server -> server.bearerTokenResolver(new BearerTokens())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(ServiceSecurity.appRoles())))
                .build();
    }
}
