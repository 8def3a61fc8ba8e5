package dev.profilesync.monitor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.profilesync.support.security.ServiceSecurity;

/**
 * sync-monitor serves its operations endpoints (health, info and the lag gauges Prometheus scrapes, on the management
 * port) and the status page, which shows operational figures only (no profile data) and whose replay button forwards
 * the operator's own bearer token to the applier, which checks it. Everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
class MonitorSecurity {

    @Bean
    SecurityFilterChain monitorFilterChain(HttpSecurity http) throws Exception {
        return ServiceSecurity.statelessApi(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        // the status page: operational figures only; replay forwards the operator's own token
                        .requestMatchers(HttpMethod.GET, "/status", "/status/api").permitAll()
                        .requestMatchers(HttpMethod.POST, "/status/replay").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .build();
    }
}
