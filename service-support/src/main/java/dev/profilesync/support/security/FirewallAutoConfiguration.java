package dev.profilesync.support.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

/**
 * Every profile-sync web service gets Spring Security's firewall with its default rules for header names and values
 * and parameter names, checked without regular expressions ({@link HeaderText}). The firewall belongs to the whole
 * application, not to one filter chain, so it is set here once rather than in each service's security configuration.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebSecurityCustomizer.class)
public class FirewallAutoConfiguration {

    @Bean
    WebSecurityCustomizer headerTextFirewall() {
        return HeaderText.firewall();
    }
}
