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
 */
final class PhotoSweep {

    /** What a sweep found. */
    record Outcome(int checked, int changed, int throttled) {
    }

    private final GraphServiceClient graph;
    private final FencedPublisher publisher;
    private final DirectoryState state;
    private final int batchSize;
    private final Clock clock;
    private final PhotoEventCodec codec = new PhotoEventCodec();

    PhotoSweep(GraphServiceClient graph, FencedPublisher publisher, DirectoryState state, int batchSize,
            Clock clock) {
        this.graph = graph;
        this.publisher = publisher;
        this.state = state;
        this.batchSize = Math.min(20, batchSize);
        this.clock = clock;
    }

    Outcome sweep() throws IOException {
        List<String> users = new ArrayList<>(state.users());
        int changed = 0;
        int throttled = 0;
        for (int from = 0; from < users.size(); from += batchSize) {
            Outcome batch = check(users.subList(from, Math.min(users.size(), from + batchSize)));
            changed += batch.changed();
            throttled += batch.throttled();
        }
        return new Outcome(users.size(), changed, throttled);
    }

    private Outcome check(List<String> users) throws IOException {
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
        publisher.publish(records);
        state.committed(records);
        return new Outcome(users.size(), changed, throttled);
    }
}
