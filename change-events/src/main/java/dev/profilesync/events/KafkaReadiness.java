package dev.profilesync.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the Kafka cluster answers, for a service's readiness: a service that cannot reach Kafka takes no traffic
 * (its intake would answer 503, its consumers consume nothing). The answer is cached for a few seconds, so probes do
 * not load the cluster.
 */
public final class KafkaReadiness implements HealthIndicator, DisposableBean {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Admin admin;
    private volatile Health last;
    private volatile long checkedAt;

    /** @param adminProperties the service's Kafka admin settings (bootstrap servers, security) */
    public KafkaReadiness(Map<String, Object> adminProperties) {
        Map<String, Object> props = new HashMap<>(adminProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(props);
    }

    @Override
    public Health health() {
        Health cached = last;
        if (cached != null && System.nanoTime() - checkedAt < CACHE_NANOS) {
            return cached;
        }
        Health now;
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            now = Health.up().withDetail("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            now = Health.down(e).build();
        } catch (Exception e) {
            now = Health.down().withDetail("error", e.toString()).build();
        }
        last = now;
        checkedAt = System.nanoTime();
        return now;
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
