package dev.profilesync.ingest.http;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.profilesync.ingest.IngestProperties;
import dev.profilesync.support.security.ServiceSecurity;

/**
 * Who may use which door of change-ingest. Spring Security's firewall refuses requests whose path could be read two
 * ways (path parameters, encoded slashes, dot segments, double slashes) before anything else sees them; the intake's
 * endpoints need an intake client's key; health, info and metrics are open (on the management port); everything else is refused.
 */
@Configuration(proxyBeanMethods = false)
class IntakeSecurity {

    static final String INTAKE_CLIENT = "INTAKE_CLIENT";

    @Bean
    SecurityFilterChain intakeFilterChain(HttpSecurity http, IngestProperties properties, SecurityProblems problems)
            throws Exception {
        return ServiceSecurity.statelessApi(http)
                .addFilterBefore(new ApiKeyFilter(properties, problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> problems.write(response,
                                HttpStatus.UNAUTHORIZED, "unauthenticated",
                                "send a valid API key in the " + ApiKeyFilter.HEADER + " header"))
                        .accessDeniedHandler((request, response, e) -> problems.write(response,
                                HttpStatus.FORBIDDEN, "forbidden", "this client may not use " + request.getMethod()
                                        + " " + request.getRequestURI())))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/**").hasAuthority(INTAKE_CLIENT)
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .build();
    }

    /** A request the firewall refuses gets a problem detail, not an error page. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(SecurityProblems problems) {
        return (request, response, e) -> problems.write(response, HttpStatus.BAD_REQUEST, "request-rejected",
                "the request path is not in a form this service accepts: " + e.getMessage());
    }
}
