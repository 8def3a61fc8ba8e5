package dev.profilesync.directory.graph;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * The pages of one delta round, read ahead of the publisher: one thread follows the {@code @odata.nextLink}s and keeps
 * up to {@code depth} pages waiting, so that Graph's answers overlap the Kafka transactions that publish the pages
 * before them (a round then takes the longer of reading and publishing, not their sum). Pages come out in Graph's
 * order; a failed fetch comes out, in its place, as the exception it threw, and the feed stops there. Closing the feed
 * stops the reading after the call in progress.
 */
final class PageFeed implements AutoCloseable {

    /** One reading thread for the process: only the instance that holds the tenant's lease runs rounds. */
    private static final ExecutorService READER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "delta-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    private record Item(JsonNode page, RuntimeException failure) {
    }

    private final BlockingQueue<Item> pages;
    private volatile boolean closed;

    /**
     * @param first the link of the first page to read, or null for the round's first request
     * @param fetch reads the page behind a link (null: the round's first request)
     * @param depth most pages read and not yet taken
     */
    PageFeed(String first, Function<String, JsonNode> fetch, int depth) {
        this.pages = new ArrayBlockingQueue<>(depth);
        READER.execute(() -> read(first, fetch));
    }

    private void read(String first, Function<String, JsonNode> fetch) {
        String link = first;
        while (!closed) {
            Item item;
            try {
                item = new Item(fetch.apply(link), null);
            } catch (RuntimeException e) {
                item = new Item(null, e);
            }
            if (!offer(item) || item.failure() != null) {
                return;
            }
            link = item.page().path("@odata.nextLink").asString(null);
            if (link == null) {
                return;
            }
        }
    }

    private boolean offer(Item item) {
        try {
            while (!closed) {
                if (pages.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The next page, waiting for it; rethrows the exception its fetch threw. */
    JsonNode next() {
        Item item;
        try {
            item = pages.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a delta page", e);
        }
        if (item.failure() != null) {
            throw item.failure();
        }
        return item.page();
    }

    @Override
    public void close() {
        closed = true;
        pages.clear();
    }
}
