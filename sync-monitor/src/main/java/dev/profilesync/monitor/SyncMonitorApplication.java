package dev.profilesync.monitor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of sync-monitor. Its configuration file is {@code sync-monitor.yml}, so it can share one JVM with the
 * other services in the embedded mode.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SyncMonitorApplication {

    public static final String CONFIG_NAME = "sync-monitor";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application as the embedded runner and the tests start it. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(SyncMonitorApplication.class).main(SyncMonitorApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }
}
