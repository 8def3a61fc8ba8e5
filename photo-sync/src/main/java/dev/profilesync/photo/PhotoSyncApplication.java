package dev.profilesync.photo;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of photo-sync. Its configuration file is {@code photo-sync.yml}, so that it can share one JVM with the
 * other services in the embedded mode.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PhotoSyncApplication {

    public static final String CONFIG_NAME = "photo-sync";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the embedded runner and the tests start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(PhotoSyncApplication.class).main(PhotoSyncApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
