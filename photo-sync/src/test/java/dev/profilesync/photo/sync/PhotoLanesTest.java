package dev.profilesync.photo.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PhotoLanesTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void neverMoreGraphCallsInFlightThanPermits() throws Exception {
        PhotoLanes lanes = new PhotoLanes(4);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(40);
        for (int i = 0; i < 40; i++) {
            PhotoLanes.Lane lane = i % 5 == 0 ? PhotoLanes.Lane.PRIORITY : PhotoLanes.Lane.BULK;
            threads.submit(() -> {
                lanes.graph(lane, () -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    sleep(5);
                    return inFlight.decrementAndGet();
                });
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(most.get()).isBetween(1, 4);
        assertThat(lanes.inFlight()).isZero();
    }

    @Test
    void aWaitingPriorityCallGetsTheNextPermitAheadOfBulk() throws Exception {
        PhotoLanes lanes = new PhotoLanes(1);
        CountDownLatch release = new CountDownLatch(1);
        // bulk holds the only permit
        Future<?> holder = threads.submit(() -> lanes.graph(PhotoLanes.Lane.BULK, () -> waitFor(release)));
        await().until(() -> lanes.inFlight() == 1);
        StringBuffer order = new StringBuffer();
        Future<?> bulk = threads.submit(() -> lanes.graph(PhotoLanes.Lane.BULK, () -> order.append("bulk")));
        Future<?> priority = threads.submit(() -> lanes.graph(PhotoLanes.Lane.PRIORITY,
                () -> order.append("priority,")));
        // both wait; the priority call queued after the bulk one
        await().pollDelay(Duration.ofMillis(100)).until(() -> !bulk.isDone() && !priority.isDone());
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        priority.get(10, TimeUnit.SECONDS);
        bulk.get(10, TimeUnit.SECONDS);
        assertThat(order.toString()).isEqualTo("priority,bulk");
    }

    @Test
    void bulkWorkPausesWhileAPrioritySyncRuns() throws Exception {
        PhotoLanes lanes = new PhotoLanes(4);
        lanes.beginPriority();
        Future<String> render = threads.submit(() -> lanes.cpu(PhotoLanes.Lane.BULK, () -> "rendered"));
        Future<String> call = threads.submit(() -> lanes.graph(PhotoLanes.Lane.BULK, () -> "called"));
        // the priority sync itself is not held up
        assertThat(lanes.cpu(PhotoLanes.Lane.PRIORITY, () -> "priority")).isEqualTo("priority");
        assertThat(lanes.graph(PhotoLanes.Lane.PRIORITY, () -> "priority")).isEqualTo("priority");
        await().pollDelay(Duration.ofMillis(200)).until(() -> !render.isDone() && !call.isDone());
        lanes.endPriority();
        assertThat(render.get(10, TimeUnit.SECONDS)).isEqualTo("rendered");
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("called");
    }

    private static Object waitFor(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void bulkSlotsAreHandedOutOneIntervalApart() throws Exception {
        PhotoLanes lanes = new PhotoLanes(4, 50);
        long interval = 20_000_000L;
        long start = System.nanoTime();
        java.util.List<Future<Long>> returned = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            returned.add(threads.submit(() -> {
                lanes.awaitBulkSlot();
                return System.nanoTime();
            }));
        }
        long[] times = new long[returned.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = returned.get(i).get(30, TimeUnit.SECONDS) - start;
        }
        java.util.Arrays.sort(times);
        // the k-th slot is k intervals after the first; a thread may wake late, never early
        for (int k = 0; k < times.length; k++) {
            assertThat(times[k]).as("slot %d", k).isGreaterThanOrEqualTo(k * interval);
        }
    }

    @Test
    void noRateMeansNoWait() {
        PhotoLanes lanes = new PhotoLanes(4, 0);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            lanes.awaitBulkSlot();
        }
        // 10,000 slots at any rate a limit could mean would take seconds
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void aNegativeRateIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PhotoLanes(4, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
