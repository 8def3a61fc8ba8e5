package dev.profilesync.applier.scim;

import java.io.IOException;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.profilesync.support.security.ClientAuthentication;
import dev.profilesync.support.security.SecretHashes;
import dev.profilesync.support.security.ServiceSecurity;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The SCIM door: its own filter chain, ahead of the read API's, for {@code /scim/**} only. A provisioning client
 * sends its bearer token (the "secret token" of Entra ID, Okta's "HTTP header" token); tokens are kept as SHA-256 and
 * compared in constant time; the client found decides the source its changes carry. No token or an unknown one: 401.
 */
@Configuration(proxyBeanMethods = false)
class ScimSecurity {

    static final String SCIM_CLIENT = "SCIM_CLIENT";

    @Bean
    @Order(1)
    SecurityFilterChain scimFilterChain(HttpSecurity http, ScimProperties properties) throws Exception {
        return ServiceSecurity.statelessApi(http)
                .securityMatcher("/scim/**")
                .addFilterBefore(new TokenFilter(properties.clients()), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> ScimErrors.write(response, 401,
                                "send a provisioning client's token: Authorization: Bearer <token>"))
                        .accessDeniedHandler((request, response, e) -> ScimErrors.write(response, 403,
                                "this client may not use " + request.getRequestURI())))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasAuthority(SCIM_CLIENT))
                .build();
    }

    /** The provisioning client a request was authenticated as. */
    static ScimProperties.Client clientOf(HttpServletRequest request) {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ClientAuthentication<?> client
                && client.client() instanceof ScimProperties.Client scimClient) {
            return scimClient;
        }
        throw new IllegalStateException("no SCIM client authenticated this request");
    }

    private static final class TokenFilter extends OncePerRequestFilter {

        private final List<ScimProperties.Client> clients;
        private final List<byte[]> hashes;

        TokenFilter(List<ScimProperties.Client> clients) {
            this.clients = clients;
            this.hashes = clients.stream().map(ScimProperties.Client::tokenHash).toList();
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (header != null) {
                int match = header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? SecretHashes.match(header.substring(7).trim(), hashes) : -1;
                if (match < 0) {
                    ScimErrors.write(response, 401, "the bearer token is not a provisioning client's token");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(new ClientAuthentication<>(
                        clients.get(match).name(), clients.get(match), SCIM_CLIENT));
            }
            chain.doFilter(request, response);
        }
    }
}
