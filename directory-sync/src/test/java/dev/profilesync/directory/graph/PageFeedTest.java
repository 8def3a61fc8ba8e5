package dev.profilesync.directory.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PageFeedTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Pages 0..last-1 linked by nextLink "p<n>", the last one with a deltaLink. */
    private static Function<String, JsonNode> pages(int last, List<String> asked) {
        return link -> {
            asked.add(String.valueOf(link));
            int n = link == null ? 0 : Integer.parseInt(link.substring(1));
            String tail = n + 1 < last ? "\"@odata.nextLink\":\"p" + (n + 1) + "\"" : "\"@odata.deltaLink\":\"d\"";
            return JSON.readTree("{\"n\":" + n + "," + tail + "}");
        };
    }

    @Test
    void pagesComeInGraphsOrderAndReadingStopsAtTheDeltaLink() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> seen = new ArrayList<>();
        try (PageFeed feed = new PageFeed(null, pages(50, asked), 4)) {
            for (int i = 0; i < 50; i++) {
                seen.add(feed.next().path("n").asInt());
            }
        }
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(asked).hasSize(50).startsWith("null", "p1");
    }

    @Test
    void readsAheadNoFurtherThanItsDepth() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PageFeed feed = new PageFeed("p10", pages(1_000, asked), 3)) {
            assertThat(feed.next().path("n").asInt()).isEqualTo(10);
            // three waiting, one more fetched and waiting for room
            await().until(() -> asked.size() == 5);
            await().during(java.time.Duration.ofMillis(300)).until(() -> asked.size() == 5);
        }
    }

    @Test
    void aFailedFetchComesOutInItsPlace() {
        AtomicInteger calls = new AtomicInteger();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Function<String, JsonNode> good = pages(100, asked);
        try (PageFeed feed = new PageFeed(null, link -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("Graph said no");
            }
            return good.apply(link);
        }, 8)) {
            assertThat(feed.next().path("n").asInt()).isZero();
            assertThat(feed.next().path("n").asInt()).isEqualTo(1);
            assertThatThrownBy(feed::next).hasMessage("Graph said no");
        }
        // nothing read after the failure
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void closingStopsTheReading() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        PageFeed feed = new PageFeed(null, pages(1_000_000, asked), 2);
        feed.next();
        feed.close();
        int atClose = asked.size();
        // at most the call in progress when it closed
        await().during(java.time.Duration.ofMillis(500)).until(() -> asked.size() <= atClose + 1);
        assertThat(asked.size()).isLessThan(10);
    }
}
