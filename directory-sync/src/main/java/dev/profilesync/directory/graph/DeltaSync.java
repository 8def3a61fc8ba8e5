package dev.profilesync.directory.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;

import dev.profilesync.directory.graph.DirectoryState.Cursor;
import dev.profilesync.directory.leader.FencedPublisher;
import dev.profilesync.events.DirectoryStateKeys;
import dev.profilesync.events.Identifiers;
import dev.profilesync.events.PhotoChanged;
import dev.profilesync.events.PhotoEventCodec;
import dev.profilesync.events.UserDeleted;
import dev.profilesync.events.UserEvent;
import dev.profilesync.events.UserEventCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One delta round over Graph users. Each page is published in one Kafka transaction together with the state it
 * implies: the users it introduced and the cursor to the next page. So a crash, or a take-over by another instance,
 * continues after the last published page: no page is published twice and none is skipped. The delta link is saved
 * when the whole round is on Kafka. Without a delta link, or when Graph answers 410, the round is a full
 * synchronisation: every user it lists is marked with the round's id, and at its end the users known before but not
 * marked are deleted.
 */
final class DeltaSync {

    private static final Logger log = LoggerFactory.getLogger(DeltaSync.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PAGE_ATTEMPTS = 4;
    private static final int DELETIONS_PER_TRANSACTION = 1000;

    /** What a round did. */
    record Outcome(boolean full, boolean resumed, int users, int deleted, int pages) {
    }

    private final GraphServiceClient graph;
    private final FencedPublisher publisher;
    private final DirectoryState state;
    private final String instance;
    private final double maxDeletionShare;
    private final Clock clock;
    private final UserEventCodec userCodec = new UserEventCodec();
    private final PhotoEventCodec photoCodec = new PhotoEventCodec();

    DeltaSync(GraphServiceClient graph, FencedPublisher publisher, DirectoryState state, String instance,
            double maxDeletionShare, Clock clock) {
        this.graph = graph;
        this.publisher = publisher;
        this.state = state;
        this.instance = instance;
        this.maxDeletionShare = maxDeletionShare;
        this.clock = clock;
    }

    Outcome round() {
        Cursor cursor = state.cursor();
        if (cursor != null) {
            try {
                return run(cursor, true);
            } catch (ODataError e) {
                if (e.getResponseStatusCode() / 100 != 4 || e.getResponseStatusCode() == 429) {
                    throw e;
                }
                log.warn("Graph answered {} to the saved page of round {}; starting the round again",
                        e.getResponseStatusCode(), cursor.roundId());
                publish(new ArrayList<>(List.of(state.saveCursor(null))));
            }
        }
        String link = state.deltaLink();
        if (link == null) {
            return run(start(true, null), false);
        }
        try {
            return run(start(false, link), false);
        } catch (ODataError e) {
            if (e.getResponseStatusCode() != 410) {
                throw e;
            }
            log.warn("Graph answered 410 to the delta link: the token expired; starting a full resynchronisation");
            return run(start(true, null), false);
        }
    }

    private static Cursor start(boolean full, String deltaLink) {
        return new Cursor(UUID.randomUUID().toString(), full, deltaLink, null, 0);
    }

    private Outcome run(Cursor cursor, boolean resumed) {
        int users = 0;
        int pages = 0;
        // Pages are read ahead while earlier ones are published: Graph's answers and Kafka's commits overlap, and a
        // round of thousands of pages takes the longer of the two, not their sum. Pages are still published one
        // after the other, each group with the cursor after its last page.
        List<ProducerRecord<String, byte[]>> pending = new ArrayList<>();
        try (PageFeed feed = new PageFeed(cursor.nextLink(), this::fetch, PAGES_AHEAD)) {
            while (cursor.nextLink() != null || cursor.pages() == 0) {
                JsonNode page = feed.next();
                pages++;
                String next = page.path("@odata.nextLink").asString(null);
                String deltaLink = page.path("@odata.deltaLink").asString(null);
                if (next == null && deltaLink == null) {
                    throw new IllegalStateException("a delta page carried neither @odata.nextLink nor @odata.deltaLink");
                }
                Cursor after = new Cursor(cursor.roundId(), cursor.full(), next, next == null ? deltaLink : null,
                        cursor.pages() + 1);
                users += collectPage(page.path("value"), cursor, after, pending);
                cursor = after;
                // Pages go out a few at a time, each group in one transaction with the cursor after its last page: a
                // transaction per 200-user page made the commit, not Graph, the pace of a full load. A restart
                // resumes after the last group published (the pages of a group that did not make it are read
                // again).
                if (pending.size() >= RECORDS_PER_TRANSACTION || cursor.nextLink() == null) {
                    pending.add(state.saveCursor(cursor));
                    publish(pending);
                    pending = new ArrayList<>();
                }
            }
        }
        int deleted = cursor.full() ? finishFullRound(cursor.roundId()) : 0;
        publish(new ArrayList<>(List.of(state.saveDeltaLink(cursor.finalDeltaLink()), state.saveCursor(null))));
        return new Outcome(cursor.full(), resumed, users, deleted, pages);
    }

    /** Delta pages read ahead of the one being published (about 4,000 users of a full load). */
    static final int PAGES_AHEAD = 20;

    /** The page behind a link, or the round's first page (link null). */
    private JsonNode fetch(String link) {
        if (link != null) {
            return fetch(graph.users().delta().withUrl(link).toGetRequestInformation());
        }
        return fetch(graph.users().delta().toGetRequestInformation(c -> {
            c.queryParameters.select = GraphUsers.select();
            c.queryParameters.expand = new String[] {"manager($select=id)"};
        }));
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

    /**
     * Most records of one transaction of a round (about ten pages of a full load: a user, its state record and often
     * a photo change), besides its last page's.
     */
    static final int RECORDS_PER_TRANSACTION = 6_000;

    /** Adds one page's events and state records to {@code into}; returns the users on the page. */
    private int collectPage(JsonNode entries, Cursor cursor, Cursor after, List<ProducerRecord<String, byte[]>> into) {
        Instant observedAt = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        byte[] page = (instance + "/" + cursor.roundId() + "/" + after.pages()).getBytes(StandardCharsets.UTF_8);
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
                records.add(leaverPhoto(change.userId(), observedAt));
                continue;
            }
            boolean known = state.knows(change.userId());
            DirectoryState.HeldDeletions held = state.heldDeletions();
            if (cursor.full() && !state.listedIn(change.userId(), cursor.roundId())) {
                records.add(state.markListed(change.userId(), cursor.roundId()));
            } else if (held != null && !state.listedIn(change.userId(), held.roundId())) {
                // seen again after a resync held its deletions back: no longer a candidate
                records.add(state.markListed(change.userId(), held.roundId()));
            } else if (!known) {
                records.add(state.markListed(change.userId(), ""));
            }
            if (!known) {
                records.add(photoCodec.toRecord(new PhotoChanged(Identifiers.newEventId(GraphUsers.SOURCE),
                        change.userId(), GraphUsers.SOURCE, observedAt, "new-user", null)));
            }
        }
        for (ProducerRecord<String, byte[]> record : records) {
            record.headers().add(DirectoryStateKeys.PAGE_HEADER, page);
        }
        into.addAll(records);
        return count;
    }

    /**
     * The end of a full round: deletes the users it did not list, unless they are more than
     * {@code max-deletion-share} of the known users; then it deletes none and holds them back for an operator.
     */
    private int finishFullRound(String roundId) {
        int known = state.userCount();
        long unlisted = unlisted(roundId).size();
        if (unlisted > 0 && unlisted > maxDeletionShare * known) {
            log.error("Full resynchronisation: {} of {} known users are no longer listed by Graph, more than the "
                    + "max-deletion-share of {}; none deleted. Confirm with POST /actuator/helddeletions or dismiss "
                    + "with DELETE", unlisted, known, maxDeletionShare);
            publish(new ArrayList<>(List.of(state.saveHeldDeletions(new DirectoryState.HeldDeletions(roundId,
                    (int) unlisted)))));
            return 0;
        }
        int deleted = deleteUnlisted(roundId);
        if (state.heldDeletions() != null) {
            publish(new ArrayList<>(List.of(state.saveHeldDeletions(null))));
        }
        return deleted;
    }

    /** An operator confirmed the held deletions of {@code roundId}: deletes the users still not seen since. */
    int confirmHeldDeletions(String roundId) {
        DirectoryState.HeldDeletions held = state.heldDeletions();
        if (held == null || !held.roundId().equals(roundId)) {
            return 0;
        }
        int deleted = deleteUnlisted(roundId);
        publish(new ArrayList<>(List.of(state.saveHeldDeletions(null))));
        return deleted;
    }

    /** An operator dismissed the held deletions of {@code roundId}: nobody is deleted. */
    void dismissHeldDeletions(String roundId) {
        DirectoryState.HeldDeletions held = state.heldDeletions();
        if (held != null && held.roundId().equals(roundId)) {
            publish(new ArrayList<>(List.of(state.saveHeldDeletions(null))));
        }
    }

    /** The known users the full round {@code roundId} did not list (leavers: normally a few). */
    private List<String> unlisted(String roundId) {
        List<String> unlisted = new ArrayList<>();
        state.forEachUser(user -> {
            if (!state.listedIn(user, roundId)) {
                unlisted.add(user);
            }
        });
        return unlisted;
    }

    /** Deletes the users the full round {@code roundId} did not list, in transactions of a bounded size. */
    private int deleteUnlisted(String roundId) {
        Instant now = clock.instant();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        int deleted = 0;
        for (String known : unlisted(roundId)) {
            records.add(userCodec.toRecord(new UserDeleted(Identifiers.newEventId(GraphUsers.SOURCE), known,
                    GraphUsers.SOURCE, now)));
            records.add(state.forgetUser(known));
            records.add(leaverPhoto(known, now));
            deleted++;
            if (records.size() >= DELETIONS_PER_TRANSACTION) {
                publish(records);
                records = new ArrayList<>();
            }
        }
        publish(records);
        if (deleted > 0) {
            log.info("Full resynchronisation: {} users known before are gone from the directory; deleted them",
                    deleted);
        }
        return deleted;
    }

    /** A leaver's photo goes with them: photo-sync finds no photo in Graph and removes the thumbnails. */
    private ProducerRecord<String, byte[]> leaverPhoto(String userId, Instant observedAt) {
        return photoCodec.toRecord(new PhotoChanged(Identifiers.newEventId(GraphUsers.SOURCE), userId,
                GraphUsers.SOURCE, observedAt, "user-deleted", null));
    }

    private void publish(List<ProducerRecord<String, byte[]>> records) {
        publisher.publish(records);
        state.committed(records);
    }
}
