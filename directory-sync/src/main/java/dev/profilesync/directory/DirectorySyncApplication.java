package dev.profilesync.directory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of directory-sync, the one reader of the directory per tenant. Its configuration file is
 * {@code directory-sync.yml}, so it can share one JVM with the other services in the embedded mode.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DirectorySyncApplication {

    public static final String CONFIG_NAME = "directory-sync";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the embedded runner and the tests start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DirectorySyncApplication.class).main(DirectorySyncApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
