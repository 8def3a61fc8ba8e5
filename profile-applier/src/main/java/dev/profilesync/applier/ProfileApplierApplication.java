package dev.profilesync.applier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of profile-applier. Its configuration file is {@code profile-applier.yml}, so that it can share one JVM
 * with the other services in the embedded mode.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProfileApplierApplication {

    public static final String CONFIG_NAME = "profile-applier";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the embedded runner and the tests start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(ProfileApplierApplication.class).main(ProfileApplierApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
