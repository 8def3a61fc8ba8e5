package dev.profilesync.applier.read;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The read side's own connection pool; see {@link ReadPool}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadPool.Settings.class)
class ReadConfig {

    @Bean
    ReadPool readPool(DataSourceProperties database, ReadPool.Settings settings) {
        return new ReadPool(database, settings);
    }
}
