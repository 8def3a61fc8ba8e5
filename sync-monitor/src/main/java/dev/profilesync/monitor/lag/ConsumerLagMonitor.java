package dev.profilesync.monitor.lag;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.monitor.SyncMonitorProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes {@code profile_sync_lag_seconds} and {@code profile_sync_lag_records} per group, topic and partition for
 * the consumer groups of the contract ({@link ConsumerGroups#WATCHED}). It runs in sync-monitor, outside the consumers
 * it measures, so the gauge keeps growing while a consumer is down; an idle, caught-up partition reads 0. It only
 * reads, so any number of monitors may run.
 */
@Component
class ConsumerLagMonitor implements SmartLifecycle, LagReadings {

    private static final long HISTORY_MILLIS = 15 * 60 * 1000L;

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMonitor.class);

    private final SyncMonitorProperties.Lag settings;
    private final KafkaProperties kafka;
    private final Clock clock = Clock.systemUTC();
    private final Map<List<String>, PartitionLag> lags = new ConcurrentHashMap<>();
    private final MultiGauge seconds;
    private final MultiGauge records;
    private final Counter failures;
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> fetcher;
    private LagReader reader;
    private final java.util.Deque<Point> history = new java.util.ArrayDeque<>();

    ConsumerLagMonitor(SyncMonitorProperties properties, KafkaProperties kafka, MeterRegistry registry) {
        this.settings = properties.lag();
        this.kafka = kafka;
        this.seconds = MultiGauge.builder("profile_sync_lag_seconds")
                .description("Age of the oldest change not yet processed by the group (0 when caught up)")
                .baseUnit("seconds").register(registry);
        this.records = MultiGauge.builder("profile_sync_lag_records")
                .description("Records between the group's committed offset and the end of the partition")
                .register(registry);
        this.failures = Counter.builder("profile_sync_lag_read_failures")
                .description("Lag readings that failed (Kafka unreachable or slow)").register(registry);
    }

    void refresh() {
        for (ConsumerGroups.Watched watched : ConsumerGroups.WATCHED) {
            List<String> groupAndTopic = List.of(watched.group(), watched.topic());
            try {
                reader.read(groupAndTopic.get(0), groupAndTopic.get(1)).forEach((partition, reading) -> lags
                        .computeIfAbsent(key(groupAndTopic, partition), k -> new PartitionLag())
                        .update(reading.oldestPendingTimestamp(), reading.pendingRecords()));
            } catch (org.apache.kafka.common.errors.InterruptException | InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.increment();
                log.warn("Could not read the lag of {} on {}: {}", groupAndTopic.get(0), groupAndTopic.get(1),
                        e.toString());
            }
        }
        publish();
        remember();
    }

    private void remember() {
        long now = clock.millis();
        java.util.Map<String, List<Partition>> byGroup = new java.util.TreeMap<>();
        for (Partition partition : current()) {
            byGroup.computeIfAbsent(partition.group(), g -> new ArrayList<>()).add(partition);
        }
        synchronized (history) {
            byGroup.forEach((group, partitions) -> {
                double[] seconds = partitions.stream().mapToDouble(Partition::seconds).sorted().toArray();
                history.addLast(new Point(now, group, percentile(seconds, 0.5), percentile(seconds, 0.99),
                        seconds[seconds.length - 1], partitions.stream().mapToLong(Partition::records).sum()));
            });
            while (!history.isEmpty() && history.peekFirst().epochMillis() < now - HISTORY_MILLIS) {
                history.removeFirst();
            }
        }
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    @Override
    public List<Partition> current() {
        long now = clock.millis();
        List<Partition> partitions = new ArrayList<>();
        lags.forEach((key, lag) -> partitions.add(new Partition(key.get(0), key.get(1),
                Integer.parseInt(key.get(2)), lag.seconds(now), lag.records())));
        partitions.sort(java.util.Comparator.comparing(Partition::group).thenComparing(Partition::topic)
                .thenComparingInt(Partition::partition));
        return partitions;
    }

    @Override
    public List<Point> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void publish() {
        List<MultiGauge.Row<?>> secondRows = new ArrayList<>();
        List<MultiGauge.Row<?>> recordRows = new ArrayList<>();
        lags.forEach((key, lag) -> {
            Tags tags = Tags.of("group", key.get(0), "topic", key.get(1), "partition", key.get(2));
            secondRows.add(MultiGauge.Row.of(tags, lag, l -> l.seconds(clock.millis())));
            recordRows.add(MultiGauge.Row.of(tags, lag, PartitionLag::records));
        });
        seconds.register(secondRows, true);
        records.register(recordRows, true);
    }

    private static List<String> key(List<String> groupAndTopic, TopicPartition partition) {
        return List.of(groupAndTopic.get(0), groupAndTopic.get(1), String.valueOf(partition.partition()));
    }

    @Override
    public void start() {
        Map<String, Object> consumerProps = kafka.buildConsumerProperties();
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        // only the first record at each committed offset is read, for its timestamp; the broker still sends the first
        // batch of a partition whatever these limits, and leaves out the rest. With the defaults every refresh read up
        // to 1 MB of each partition a group is behind on (a full load's backlog: some 12 MB a second, all decoded and
        // thrown away)
        consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
        consumerProps.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "sync-monitor-lag");
        admin = Admin.create(kafka.buildAdminProperties());
        fetcher = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reader = new LagReader(admin, fetcher);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "lag-monitor"));
        scheduler.scheduleWithFixedDelay(this::refresh, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fetcher.close();
        admin.close();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
