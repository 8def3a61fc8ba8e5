package dev.profilesync.photo.sync;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.profilesync.events.ConsumerGroups;
import dev.profilesync.events.GroupBacklog;
import dev.profilesync.events.Topics;
import dev.profilesync.photo.PhotoSyncProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Makes the bulk lane give way to the profiles ({@link PhotoSyncProperties.BulkPause}). Every check it reads how many
 * changes the profile applier's group has not yet applied on {@code directory.user-changes} ({@link GroupBacklog}:
 * its committed offsets against the partitions' last committed records) and pauses
 * the bulk lane's consumers above the configured backlog, resuming them once the backlog is under half of it. A paused
 * consumer keeps polling (it stays in its group) and the records of its last poll not yet started are fetched again
 * on resume, so nothing is skipped. The priority lane is never paused. When the backlog cannot be read (Kafka away,
 * a missing grant) the bulk lane runs: photos are never held back on a guess.
 */
@Component
class ProfileBacklogGate implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProfileBacklogGate.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final PhotoSyncProperties.BulkPause settings;
    private final KafkaProperties kafka;
    private final KafkaListenerEndpointRegistry registry;
    private final AtomicLong backlog = new AtomicLong(-1);
    private final Counter pauses;
    private final Counter failures;
    private volatile boolean paused;
    private volatile boolean running;
    private boolean failing;
    private ScheduledExecutorService scheduler;
    private Admin admin;

    ProfileBacklogGate(PhotoSyncProperties properties, KafkaProperties kafka, KafkaListenerEndpointRegistry registry,
            MeterRegistry meters) {
        this.settings = properties.bulkPause();
        this.kafka = kafka;
        this.registry = registry;
        Gauge.builder("photo_sync_bulk_paused", () -> paused ? 1 : 0)
                .description("1 while the bulk lane is paused because the profile applier is behind").register(meters);
        Gauge.builder("photo_sync_profile_backlog_records", backlog::get)
                .description("Changes the profile applier has not yet applied, as last read (-1: not read)")
                .register(meters);
        this.pauses = Counter.builder("photo_sync_bulk_pauses_total")
                .description("Times the bulk lane paused for a profile backlog").register(meters);
        this.failures = Counter.builder("photo_sync_bulk_pause_check_failures_total")
                .description("Backlog reads that failed (the bulk lane runs meanwhile)").register(meters);
    }

    /**
     * Whether the bulk lane should be paused after reading {@code backlog}: it pauses above {@code limit} and
     * resumes at or under half of it, so a backlog hovering around the limit does not flip it every check.
     */
    static boolean pauseAfter(boolean paused, long backlog, long limit) {
        if (limit <= 0) {
            return false;
        }
        return paused ? backlog > limit / 2 : backlog > limit;
    }

    /** Whether the bulk lane is paused now. */
    boolean paused() {
        return paused;
    }

    @Override
    public void start() {
        running = true;
        if (settings.backlog() == 0) {
            return;
        }
        admin = Admin.create(kafka.buildAdminProperties());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "profile-backlog-gate");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.checkInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        log.info("The bulk photo lane pauses while the profile applier has more than {} changes to apply",
                settings.backlog());
    }

    private void check() {
        long read;
        try {
            read = readBacklog();
            if (failing) {
                log.info("The profile backlog can be read again");
                failing = false;
            }
        } catch (Exception e) {
            failures.increment();
            if (!failing) {
                log.warn("Cannot read the profile applier's backlog ({}); the bulk photo lane runs meanwhile",
                        e.toString());
                failing = true;
            }
            backlog.set(-1);
            set(false, -1);
            return;
        }
        backlog.set(read);
        set(pauseAfter(paused, read, settings.backlog()), read);
    }

    private void set(boolean pause, long read) {
        if (pause == paused) {
            return;
        }
        MessageListenerContainer bulk = registry.getListenerContainer(ConsumerGroups.PHOTO_SYNC);
        if (bulk == null) {
            return;
        }
        if (pause) {
            bulk.pause();
            pauses.increment();
            log.info("Bulk photo lane paused: the profile applier has {} changes to apply (more than {})", read,
                    settings.backlog());
        } else {
            bulk.resume();
            log.info("Bulk photo lane resumed ({})", read < 0 ? "the backlog cannot be read"
                    : "the profile applier has " + read + " changes to apply");
        }
        paused = pause;
    }

    /** Changes on {@code directory.user-changes} the profile applier's group has not yet applied. */
    private long readBacklog() throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.USER_CHANGES)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(Topics.USER_CHANGES).partitions().stream()
                .map(partition -> new TopicPartition(Topics.USER_CHANGES, partition.partition())).toList();
        return GroupBacklog.read(admin, ConsumerGroups.PROFILE_APPLIER, partitions, TIMEOUT_SECONDS).values().stream()
                .mapToLong(GroupBacklog.Pending::records).sum();
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
