package dev.profilesync.ingest.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;

import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import dev.profilesync.ingest.publish.UserEventPublisher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One delta round over Graph users. Each page is published in one Kafka transaction together with the state it
 * implies (known users); the delta link is saved only after the whole round is on Kafka, so a crash re-reads the
 * round and never skips a change. Without a delta link, or when Graph answers 410, the round is a full
 * synchronisation, after which users known before but absent now are deleted.
 */
final class DeltaSync {

    private static final Logger log = LoggerFactory.getLogger(DeltaSync.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE_ATTEMPTS = 4;

    /** What a round did. */
    record Outcome(boolean full, int users, int deleted, int pages) {
    }

    private final GraphServiceClient graph;
    private final UserEventPublisher publisher;
    private final IngestState state;
    private final Duration publishTimeout;
    private final Clock clock;
    private final UserEventCodec userCodec = new UserEventCodec();
    private final PhotoEventCodec photoCodec = new PhotoEventCodec();

    DeltaSync(GraphServiceClient graph, UserEventPublisher publisher, IngestState state, Duration publishTimeout,
            Clock clock) {
        this.graph = graph;
        this.publisher = publisher;
        this.state = state;
        this.publishTimeout = publishTimeout;
        this.clock = clock;
    }

    Outcome round() {
        String link = state.deltaLink();
        if (link == null) {
            return run(null);
        }
        try {
            return run(link);
        } catch (ODataError e) {
            if (e.getResponseStatusCode() != 410) {
                throw e;
            }
            log.warn("Graph answered 410 to the delta link: the token expired; starting a full resynchronisation");
            return run(null);
        }
    }

    private Outcome run(String link) {
        boolean full = link == null;
        Instant started = clock.instant();
        Set<String> seen = new HashSet<>();
        int users = 0;
        int pages = 0;
        JsonNode page = fetch(full
                ? graph.users().delta().toGetRequestInformation(c -> {
                    c.queryParameters.select = GraphUsers.select();
                    c.queryParameters.expand = new String[] {"manager($select=id)"};
                })
                : graph.users().delta().withUrl(link).toGetRequestInformation());
        while (true) {
            pages++;
            users += publishPage(page.path("value"), seen);
            String next = page.path("@odata.nextLink").asString(null);
            if (next == null) {
                break;
            }
            page = fetch(graph.users().delta().withUrl(next).toGetRequestInformation());
        }
        int deleted = full ? deleteVanished(seen, started) : 0;
        String deltaLink = page.path("@odata.deltaLink").asString(null);
        if (deltaLink == null) {
            throw new IllegalStateException("the last delta page carried no @odata.deltaLink");
        }
        List<ProducerRecord<String, byte[]>> save = List.of(state.saveDeltaLink(deltaLink));
        publisher.publishRecords(save, publishTimeout);
        state.committed(save);
        return new Outcome(full, users, deleted, pages);
    }

    /**
     * One page as JSON. An error status becomes an {@link ODataError} (429 and 503 were already retried by the SDK);
     * a page that arrives broken is asked for again, up to {@value #PAGE_ATTEMPTS} times, before the round fails.
     */
    private JsonNode fetch(RequestInformation request) {
        HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
        errors.put("XXX", ODataError::createFromDiscriminatorValue);
        for (int attempt = 1;; attempt++) {
            try (InputStream body = graph.getRequestAdapter().sendPrimitive(request, errors, InputStream.class)) {
                if (body == null) {
                    throw new IllegalStateException("Graph answered a delta request with no body");
                }
                return JSON.readTree(body);
            } catch (JacksonException | IOException e) {
                if (attempt >= PAGE_ATTEMPTS) {
                    throw e instanceof IOException io ? new UncheckedIOException(io) : (JacksonException) e;
                }
                log.warn("Broken delta page ({}), asking again", e.getMessage());
                pause(Duration.ofMillis(200L << attempt));
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private int publishPage(JsonNode entries, Set<String> seen) {
        Instant observedAt = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int count = 0;
        for (JsonNode user : entries) {
            var event = GraphUsers.toEvent(user, observedAt);
            if (event.isEmpty()) {
                continue;
            }
            count++;
            UserEvent change = event.get();
            records.add(userCodec.toRecord(change));
            if (change instanceof UserDeleted) {
                records.add(state.forgetUser(change.userId()));
            } else {
                seen.add(change.userId());
                if (!state.knows(change.userId())) {
                    records.add(state.rememberUser(change.userId(), ""));
                    records.add(photoCodec.toRecord(new PhotoChanged(GraphUsers.SOURCE + "-" + UUID.randomUUID(),
                            change.userId(), GraphUsers.SOURCE, observedAt, "new-user", null)));
                }
            }
        }
        publisher.publishRecords(records, publishTimeout);
        state.committed(records);
        return count;
    }

    private int deleteVanished(Set<String> seen, Instant started) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int deleted = 0;
        for (String known : state.users()) {
            if (!seen.contains(known)) {
                records.add(userCodec.toRecord(new UserDeleted(GraphUsers.SOURCE + "-" + UUID.randomUUID(), known,
                        GraphUsers.SOURCE, started)));
                records.add(state.forgetUser(known));
                deleted++;
                if (records.size() >= 1000) {
                    publisher.publishRecords(records, publishTimeout);
                    state.committed(records);
                    records = new ArrayList<>();
                }
            }
        }
        publisher.publishRecords(records, publishTimeout);
        state.committed(records);
        if (deleted > 0) {
            log.info("Full resynchronisation: {} users known before are gone from the directory; deleted them",
                    deleted);
        }
        return deleted;
    }
}
