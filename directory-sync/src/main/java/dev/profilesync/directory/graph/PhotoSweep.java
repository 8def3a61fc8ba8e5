package dev.profilesync.directory.graph;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.directory.leader.FencedPublisher;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.graph.MediaEtags;

/**
 * Photos are not part of Graph's user delta, so they are detected by comparing every known user's photo media etag
 * with the one last seen, {@code photoBatchSize} users per {@code $batch} request, up to {@code concurrency} requests
 * in flight (Graph allows 4 photo requests per app at a time). A changed etag, or a photo that disappeared, becomes a
 * {@link PhotoChanged}. Throttled entries are retried in the next sweep. A sweep goes through the users in id order a
 * step at a time ({@link #step}), so delta rounds never wait behind a whole sweep; a step's changes and the sweep's
 * cursor after it are published in one transaction, so a restart or take-over resumes after the last published step.
 */
final class PhotoSweep {

    /** What a step of a sweep found; {@code finished} when the sweep has reached the last user. */
    record Outcome(int checked, int changed, int throttled, boolean finished) {
    }

    private final GraphServiceClient graph;
    private final FencedPublisher publisher;
    private final DirectoryState state;
    private final int batchSize;
    private final Clock clock;
    private final ExecutorService requests;
    private final int concurrency;
    private final PhotoEventCodec codec = new PhotoEventCodec();
    /** The users the sweep in progress still has to check, in id order (16 bytes a user). */
    private KnownUsers.SortedIds remaining;

    /**
     * @param requests runs the {@code $batch} requests; at most {@code concurrency} are in flight at once
     */
    PhotoSweep(GraphServiceClient graph, FencedPublisher publisher, DirectoryState state, int batchSize,
            Clock clock, ExecutorService requests, int concurrency) {
        this.requests = requests;
        this.concurrency = Math.max(1, concurrency);
        this.graph = graph;
        this.publisher = publisher;
        this.state = state;
        this.batchSize = Math.min(20, batchSize);
        this.clock = clock;
    }

    /** Whether a sweep is in progress (its cursor is saved). */
    boolean inProgress() {
        return state.sweepCursor() != null;
    }

    /** Checks up to {@code batches} batches of users after the saved cursor, starting a sweep when none is running. */
    Outcome step(int batches) throws IOException {
        int limit = batches * batchSize;
        if (remaining == null) {
            // once per sweep (or when resuming one): the users after the saved cursor, in id order
            remaining = state.usersAfter(state.sweepCursor() == null ? "" : state.sweepCursor());
        }
        List<String> next = remaining.next(limit);
        try {
            return checkAll(next, limit);
        } catch (IOException | RuntimeException e) {
            // start again from the saved cursor, which only moves with a published batch
            remaining = null;
            throw e;
        }
    }

    private Outcome checkAll(List<String> next, int limit) throws IOException {
        boolean finished = next.size() < limit;
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < next.size(); from += batchSize) {
            batches.add(next.subList(from, Math.min(next.size(), from + batchSize)));
        }
        // the batches go out a wave of `concurrency` at a time; the step's changes are published together
        Instant observedAt = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int changed = 0;
        int throttled = 0;
        for (int wave = 0; wave < batches.size(); wave += concurrency) {
            List<Future<Map<String, String>>> answers = new ArrayList<>();
            for (List<String> batch : batches.subList(wave, Math.min(batches.size(), wave + concurrency))) {
                answers.add(requests.submit(() -> etags(batch)));
            }
            for (Future<Map<String, String>> answer : answers) {
                Map<String, String> etags = result(answer);
                for (Map.Entry<String, String> user : etags.entrySet()) {
                    String etag = user.getValue();
                    if (etag == null) {
                        throttled++;
                    } else if (!etag.equals(state.etag(user.getKey())) && state.knows(user.getKey())) {
                        changed++;
                        records.add(state.rememberEtag(user.getKey(), etag));
                        records.add(codec.toRecord(new PhotoChanged(Identifiers.newEventId(GraphUsers.SOURCE),
                                user.getKey(), GraphUsers.SOURCE, observedAt, etag.isEmpty() ? "removed"
                                        : "etag-changed", etag.isEmpty() ? null : etag)));
                    }
                }
            }
        }
        if (finished) {
            remaining = null;
        }
        if (!next.isEmpty() || state.sweepCursor() != null) {
            records.add(state.saveSweepCursor(finished ? null : next.get(next.size() - 1)));
            publisher.publish(records);
            state.committed(records);
        }
        return new Outcome(next.size(), changed, throttled, finished);
    }

    private static Map<String, String> result(Future<Map<String, String>> answer) throws IOException {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a photo sweep", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One {@code $batch}: each user's photo media etag, "" for no photo, null when Graph throttled that entry. */
    private Map<String, String> etags(List<String> users) throws IOException {
        BatchRequestContent batch = new BatchRequestContent(graph);
        Map<String, String> userByStep = new HashMap<>();
        for (String user : users) {
            userByStep.put(batch.addBatchRequestStep(graph.users().byUserId(user).photo().toGetRequestInformation()),
                    user);
        }
        BatchResponseContent response = graph.getBatchRequestBuilder().post(batch, null);
        Map<String, Integer> status = response.getResponsesStatusCode();
        Map<String, String> etags = new HashMap<>();
        for (Map.Entry<String, String> step : userByStep.entrySet()) {
            int code = status.getOrDefault(step.getKey(), 0);
            if (code == 200) {
                etags.put(step.getValue(), MediaEtags.of(response.getResponseById(step.getKey(),
                        ProfilePhoto::createFromDiscriminatorValue)));
            } else if (code == 404) {
                etags.put(step.getValue(), "");
            } else {
                etags.put(step.getValue(), null);
            }
        }
        return etags;
    }
}
