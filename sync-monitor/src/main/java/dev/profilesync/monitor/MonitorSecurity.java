package dev.profilesync.monitor;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.profilesync.support.security.ServiceSecurity;

/**
 * sync-monitor serves nothing but its operations endpoints: health, info and the lag gauges Prometheus scrapes, on
 * the management port. Everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
class MonitorSecurity {

    @Bean
    SecurityFilterChain monitorFilterChain(HttpSecurity http) throws Exception {
        return ServiceSecurity.statelessApi(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(ServiceSecurity.OPEN_OPERATIONS).permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .build();
    }
}
