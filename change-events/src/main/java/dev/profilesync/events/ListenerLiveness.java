package dev.profilesync.events;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Tells the truth about a consumer service's main loop: a listener container that stopped on its own (an
 * {@link Error} in the listener, a fatal consumer failure) leaves the process up but consuming nothing. This
 * indicator is then DOWN, and, in the liveness group, makes the orchestrator restart the service. A container paused
 * on purpose (back-off, an operator) is still running.
 */
public final class ListenerLiveness implements HealthIndicator {

    private final KafkaListenerEndpointRegistry registry;

    public ListenerLiveness(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        if (!registry.isRunning()) {
            // not started yet, or shutting down
            return Health.up().withDetail("listeners", "not started").build();
        }
        List<String> stopped = registry.getListenerContainers().stream()
                .filter(container -> container.isAutoStartup() && !container.isRunning())
                .map(MessageListenerContainer::getListenerId).toList();
        return stopped.isEmpty() ? Health.up().build() : Health.down().withDetail("stopped", stopped).build();
    }
}
