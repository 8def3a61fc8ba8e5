package dev.profilesync.directory.graph;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.serviceclient.GraphServiceClient;

import dev.profilesync.directory.leader.FencedPublisher;
import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.graph.MediaEtags;

/**
 * Photos are not part of Graph's user delta, so they are detected by comparing every known user's photo media etag
 * with the one last seen, {@code photoBatchSize} users per {@code $batch} request, one request at a time. A changed
 * etag, or a photo that disappeared, becomes a {@link PhotoChanged}. Throttled entries are retried in the next sweep.
 * A sweep goes through the users in id order a few batches at a time ({@link #step}), so delta rounds never wait
 * behind a whole sweep; its cursor is saved with every batch, so a restart or take-over resumes it.
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
    private final PhotoEventCodec codec = new PhotoEventCodec();
    /** The users the sweep in progress still has to check, in id order, and how far it got through them. */
    private List<String> remaining;
    private int position;

    PhotoSweep(GraphServiceClient graph, FencedPublisher publisher, DirectoryState state, int batchSize,
            Clock clock) {
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
            String after = state.sweepCursor() == null ? "" : state.sweepCursor();
            remaining = state.users().stream().filter(user -> user.compareTo(after) > 0).sorted().toList();
            position = 0;
        }
        List<String> next = remaining.subList(position, Math.min(remaining.size(), position + limit));
        position += next.size();
        try {
            return checkAll(next, limit);
        } catch (IOException | RuntimeException e) {
            // start again from the saved cursor, which only moves with a published batch
            remaining = null;
            throw e;
        }
    }

    private Outcome checkAll(List<String> next, int limit) throws IOException {
        int changed = 0;
        int throttled = 0;
        for (int from = 0; from < next.size(); from += batchSize) {
            List<String> batch = next.subList(from, Math.min(next.size(), from + batchSize));
            boolean last = from + batchSize >= next.size() && next.size() < limit;
            Outcome checked = check(batch, last ? null : batch.get(batch.size() - 1));
            changed += checked.changed();
            throttled += checked.throttled();
        }
        boolean finished = next.size() < limit;
        if (finished) {
            remaining = null;
        }
        if (next.isEmpty() && state.sweepCursor() != null) {
            List<ProducerRecord<String, byte[]>> end = new ArrayList<>(List.of(state.saveSweepCursor(null)));
            publisher.publish(end);
            state.committed(end);
        }
        return new Outcome(next.size(), changed, throttled, finished);
    }

    /** Checks one batch; {@code cursor} is the sweep's position after it (null: the sweep ends with it). */
    private Outcome check(List<String> users, String cursor) throws IOException {
        BatchRequestContent batch = new BatchRequestContent(graph);
        Map<String, String> userByStep = new HashMap<>();
        for (String user : users) {
            userByStep.put(batch.addBatchRequestStep(graph.users().byUserId(user).photo().toGetRequestInformation()),
                    user);
        }
        BatchResponseContent response = graph.getBatchRequestBuilder().post(batch, null);
        Map<String, Integer> status = response.getResponsesStatusCode();
        Instant observedAt = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int throttled = 0;
        int changed = 0;
        for (Map.Entry<String, String> step : userByStep.entrySet()) {
            int code = status.getOrDefault(step.getKey(), 0);
            String user = step.getValue();
            String etag;
            if (code == 200) {
                etag = MediaEtags.of(response.getResponseById(step.getKey(),
                        ProfilePhoto::createFromDiscriminatorValue));
            } else if (code == 404) {
                etag = "";
            } else {
                throttled++;
                continue;
            }
            if (!etag.equals(state.etag(user)) && state.knows(user)) {
                changed++;
                records.add(state.rememberEtag(user, etag));
                records.add(codec.toRecord(new PhotoChanged(GraphUsers.SOURCE + "-" + UUID.randomUUID(), user,
                        GraphUsers.SOURCE, observedAt, etag.isEmpty() ? "removed" : "etag-changed",
                        etag.isEmpty() ? null : etag)));
            }
        }
        records.add(state.saveSweepCursor(cursor));
        publisher.publish(records);
        state.committed(records);
        return new Outcome(users.size(), changed, throttled, cursor == null);
    }
}
