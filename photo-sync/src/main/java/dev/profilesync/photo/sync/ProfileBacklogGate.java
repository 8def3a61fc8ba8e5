package dev.profilesync.photo.sync;

import java.util.List;
import java.util.Map;
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
 * its committed offsets against the partitions' last committed records), and how fast changes arrive there (the
 * growth of those last offsets over the last few checks), and pauses the bulk lane's consumers above the configured
 * backlog or inflow, resuming them once both are under half of their limit. The inflow catches a full load whose
 * reader, not the applier, sets the pace: the applier keeps up, its backlog stays small, and photos rendered meanwhile
 * take the cores from the load all the same. A paused
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
    private final AtomicLong inflow = new AtomicLong(-1);
    private final Counter backlogPauses;
    private final Counter inflowPauses;
    private final Counter failures;
    private volatile boolean paused;
    private volatile boolean running;
    private boolean failing;
    /**
     * The last few readings of the partitions' summed last offsets with when they were read, oldest first: the inflow
     * is taken over them, as a directory load commits its changes a transaction (thousands) at a time.
     */
    private final java.util.ArrayDeque<long[]> ends = new java.util.ArrayDeque<>();
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
        Gauge.builder("photo_sync_profile_inflow_per_second", inflow::get)
                .description("Changes a second arriving for the profile applier, as last read (-1: not read)")
                .register(meters);
        this.backlogPauses = Counter.builder("photo_sync_bulk_pauses_total").tag("reason", "backlog")
                .description("Times the bulk lane paused for the profiles").register(meters);
        this.inflowPauses = Counter.builder("photo_sync_bulk_pauses_total").tag("reason", "inflow")
                .description("Times the bulk lane paused for the profiles").register(meters);
        this.failures = Counter.builder("photo_sync_bulk_pause_check_failures_total")
                .description("Backlog reads that failed (the bulk lane runs meanwhile)").register(meters);
    }

    /**
     * Whether a reading ({@code value}: the backlog or the inflow) holds the bulk lane paused: above {@code limit}, and
     * while paused until it is at or under half of it, so a reading hovering around the limit does not flip the lane
     * every check. A limit of 0 never pauses.
     */
    static boolean pauseAfter(boolean paused, long value, long limit) {
        if (limit <= 0) {
            return false;
        }
        return paused ? value > limit / 2 : value > limit;
    }

    /** Readings the inflow is taken over: with the default check interval, the last five seconds. */
    static final int INFLOW_READINGS = 6;

    /**
     * Changes a second between two readings of the partitions' summed last offsets, -1 when there is no earlier
     * reading or the offsets went back (the topic was recreated).
     */
    static long ratePerSecond(long lastEnd, long lastNanos, long end, long nanos) {
        if (lastEnd < 0 || end < lastEnd || nanos <= lastNanos) {
            return -1;
        }
        return Math.round((end - lastEnd) * 1e9 / (nanos - lastNanos));
    }

    /** Whether the bulk lane is paused now. */
    boolean paused() {
        return paused;
    }

    @Override
    public void start() {
        running = true;
        if (settings.backlog() == 0 && settings.inflow() == 0) {
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
        log.info("The bulk photo lane pauses while the profile applier has more than {} changes to apply or they "
                + "arrive faster than {} a second (0: never)", settings.backlog(), settings.inflow());
    }

    private void check() {
        Map<TopicPartition, GroupBacklog.Pending> pending;
        try {
            pending = readBacklog();
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
            inflow.set(-1);
            ends.clear();
            set(false, null, null);
            return;
        }
        long read = pending.values().stream().mapToLong(GroupBacklog.Pending::records).sum();
        long end = pending.values().stream().mapToLong(GroupBacklog.Pending::end).sum();
        long now = System.nanoTime();
        long[] oldest = ends.peekFirst();
        long rate = oldest == null ? -1 : ratePerSecond(oldest[1], oldest[0], end, now);
        if (ends.size() == INFLOW_READINGS - 1) {
            ends.removeFirst();
        }
        ends.addLast(new long[] {now, end});
        backlog.set(read);
        inflow.set(rate);
        boolean forBacklog = pauseAfter(paused, read, settings.backlog());
        boolean forInflow = pauseAfter(paused, rate, settings.inflow());
        String why;
        if (forBacklog) {
            why = "the profile applier has " + read + " changes to apply (more than " + settings.backlog() + ")";
        } else if (forInflow) {
            why = "changes arrive at " + rate + " a second (more than " + settings.inflow() + ")";
        } else {
            why = "the profile applier has " + read + " changes to apply, arriving at " + Math.max(0, rate)
                    + " a second";
        }
        set(forBacklog || forInflow, forBacklog ? backlogPauses : inflowPauses, why);
    }

    /** Pauses or resumes the bulk lane; a pause counts in {@code reason}, {@code why} is for the log. */
    private void set(boolean pause, Counter reason, String why) {
        if (pause == paused) {
            return;
        }
        MessageListenerContainer bulk = registry.getListenerContainer(ConsumerGroups.PHOTO_SYNC);
        if (bulk == null) {
            return;
        }
        if (pause) {
            bulk.pause();
            reason.increment();
            log.info("Bulk photo lane paused: {}", why);
        } else {
            bulk.resume();
            log.info("Bulk photo lane resumed ({})", why == null ? "the backlog cannot be read" : why);
        }
        paused = pause;
    }

    /** Per partition of {@code directory.user-changes}: the profile applier's group's position and the end. */
    private Map<TopicPartition, GroupBacklog.Pending> readBacklog() throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.USER_CHANGES)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(Topics.USER_CHANGES).partitions().stream()
                .map(partition -> new TopicPartition(Topics.USER_CHANGES, partition.partition())).toList();
        return GroupBacklog.read(admin, ConsumerGroups.PROFILE_APPLIER, partitions, TIMEOUT_SECONDS);
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
