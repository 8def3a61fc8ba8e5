package dev.profilesync.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes a batch of contract records in one Kafka transaction: when {@link #publishAll} returns, every event was
 * acknowledged by all in-sync replicas; when it throws, the transaction was aborted and read-committed consumers see
 * none of the batch. Callers may retry with the same event ids: the store converges on duplicates.
 */
@Component
public class UserEventPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final UserEventCodec codec = new UserEventCodec();
    private final Timer publishTimer;

    UserEventPublisher(KafkaTemplate<String, byte[]> template, MeterRegistry registry) {
        this.template = template;
        this.publishTimer = Timer.builder("profile_sync_ingest_publish")
                .description("Time to publish one intake batch and have it acknowledged by Kafka")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void publishAll(List<? extends UserEvent> events, Duration timeout) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (UserEvent event : events) {
            records.add(codec.toRecord(event));
        }
        publishRecords(records, timeout);
    }

    /** Publishes records of any contract topic in one transaction, all or nothing, and waits for the acks. */
    public void publishRecords(List<ProducerRecord<String, byte[]>> records, Duration timeout) {
        if (records.isEmpty()) {
            return;
        }
        Timer.Sample sample = Timer.start();
        try {
            template.executeInTransaction(operations -> {
                List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(records.size());
                for (ProducerRecord<String, byte[]> record : records) {
                    sends.add(operations.send(record));
                }
                awaitAll(sends, timeout);
                return null;
            });
        } catch (PublishFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PublishFailedException("Kafka did not accept the batch: " + e.getMessage(), e);
        } finally {
            sample.stop(publishTimer);
        }
    }

    private static void awaitAll(List<CompletableFuture<SendResult<String, byte[]>>> sends, Duration timeout) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka rejected the batch: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("Kafka did not acknowledge the batch within " + timeout, e);
        }
    }
}
