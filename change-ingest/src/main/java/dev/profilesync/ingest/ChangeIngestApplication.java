package dev.profilesync.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of change-ingest. Its configuration file is {@code change-ingest.yml}, so that it can share one JVM
 * with the other services in the embedded mode without their settings colliding.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChangeIngestApplication {

    public static final String CONFIG_NAME = "change-ingest";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the embedded runner and the tests start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(ChangeIngestApplication.class).main(ChangeIngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
