package dev.profilesync.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

class FirewallAutoConfigurationTest {

    @Test
    void everyServiceFindsItAmongItsAutoConfigurations() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(FirewallAutoConfiguration.class.getName());
    }

    @Test
    void aServletApplicationGetsTheFirewall() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(FirewallAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(WebSecurityCustomizer.class));
    }

    @Test
    void anApplicationWithoutAWebServerDoesNot() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FirewallAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(WebSecurityCustomizer.class));
    }
}
