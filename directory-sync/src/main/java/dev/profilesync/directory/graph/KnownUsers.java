package dev.profilesync.directory.graph;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The directory users directory-sync knows, each with its photo media etag and the full round that last listed it,
 * in compact form: a directory object id is a GUID, kept as two longs in an open-addressing table (linear probing,
 * deletion by backward shift), the etag as its UTF-8 bytes, the round as an index into the few round ids in use. About
 * 90 bytes a user where a {@code HashMap<String, String[]>} took some 300; ids that are not GUIDs (none in Entra ID)
 * go to a plain map. Not thread-safe: the directory reader owns it. Public for {@code bench/run-state-memory} only.
 */
public final class KnownUsers {

    private static final float LOAD = 0.6f;
    private static final byte[] NO_ETAG = new byte[0];

    private long[] high;
    private long[] low;
    private byte[][] etags;
    private int[] rounds;
    /** Slot in use: etags[slot] != null. */
    private int size;
    private final List<String> roundIds = new ArrayList<>(List.of(""));
    private final Map<String, Integer> roundIndex = new HashMap<>(Map.of("", 0));
    private final Map<String, String[]> others = new HashMap<>();

    public KnownUsers() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        etags = new byte[capacity][];
        rounds = new int[capacity];
    }

    public int size() {
        return size + others.size();
    }

    boolean contains(String id) {
        UUID guid = guid(id);
        return guid == null ? others.containsKey(id) : find(guid.getMostSignificantBits(),
                guid.getLeastSignificantBits()) >= 0;
    }

    /** The etag, "" for none; null when the user is not known. */
    String etag(String id) {
        UUID guid = guid(id);
        if (guid == null) {
            String[] user = others.get(id);
            return user == null ? null : user[0];
        }
        int slot = find(guid.getMostSignificantBits(), guid.getLeastSignificantBits());
        return slot < 0 ? null : new String(etags[slot], StandardCharsets.UTF_8);
    }

    /** The full round that last listed the user, "" for none; null when the user is not known. */
    String round(String id) {
        UUID guid = guid(id);
        if (guid == null) {
            String[] user = others.get(id);
            return user == null ? null : user[1];
        }
        int slot = find(guid.getMostSignificantBits(), guid.getLeastSignificantBits());
        return slot < 0 ? null : roundIds.get(rounds[slot]);
    }

    public void put(String id, String etag, String round) {
        UUID guid = guid(id);
        if (guid == null) {
            others.put(id, new String[] {etag == null ? "" : etag, round == null ? "" : round});
            return;
        }
        if (size + 1 > high.length * LOAD) {
            grow();
        }
        long hi = guid.getMostSignificantBits();
        long lo = guid.getLeastSignificantBits();
        int slot = slotOf(hi, lo);
        while (etags[slot] != null && (high[slot] != hi || low[slot] != lo)) {
            slot = (slot + 1) & (high.length - 1);
        }
        if (etags[slot] == null) {
            size++;
        }
        high[slot] = hi;
        low[slot] = lo;
        etags[slot] = etag == null || etag.isEmpty() ? NO_ETAG : etag.getBytes(StandardCharsets.UTF_8);
        rounds[slot] = roundIndex(round == null ? "" : round);
    }

    void remove(String id) {
        UUID guid = guid(id);
        if (guid == null) {
            others.remove(id);
            return;
        }
        int slot = find(guid.getMostSignificantBits(), guid.getLeastSignificantBits());
        if (slot < 0) {
            return;
        }
        int mask = high.length - 1;
        // backward shift: move later entries of the probe run into the hole so that lookups never stop early
        int hole = slot;
        for (int next = (hole + 1) & mask; etags[next] != null; next = (next + 1) & mask) {
            int home = slotOf(high[next], low[next]);
            boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable) {
                high[hole] = high[next];
                low[hole] = low[next];
                etags[hole] = etags[next];
                rounds[hole] = rounds[next];
                hole = next;
            }
        }
        etags[hole] = null;
        size--;
    }

    /** Every known user id, in no order; the set must not change meanwhile. */
    void forEach(Consumer<String> action) {
        for (int slot = 0; slot < etags.length; slot++) {
            if (etags[slot] != null) {
                action.accept(new UUID(high[slot], low[slot]).toString());
            }
        }
        List.copyOf(others.keySet()).forEach(action);
    }

    /**
     * The known user ids after {@code after} in id order (a GUID's canonical lower-case text sorts like its 128 bits
     * read unsigned), as a compact sorted snapshot for a photo sweep: 16 bytes a user.
     */
    public SortedIds sortedAfter(String after) {
        long[] pairs = new long[size * 2];
        int n = 0;
        for (int slot = 0; slot < etags.length; slot++) {
            if (etags[slot] != null) {
                pairs[n++] = high[slot];
                pairs[n++] = low[slot];
            }
        }
        long[] sorted = sortPairs(pairs);
        List<String> rest = others.keySet().stream().sorted().toList();
        return new SortedIds(sorted, rest, after == null ? "" : after);
    }

    /** Sorts (high, low) pairs in place as unsigned 128-bit numbers (a quicksort on the pairs; no boxing). */
    static long[] sortPairs(long[] pairs) {
        quicksort(pairs, 0, pairs.length / 2 - 1);
        return pairs;
    }

    private static void quicksort(long[] pairs, int from, int to) {
        while (to - from > 16) {
            int middle = (from + to) >>> 1;
            long pivotHigh = pairs[2 * middle];
            long pivotLow = pairs[2 * middle + 1];
            int i = from;
            int j = to;
            while (i <= j) {
                while (compare(pairs, i, pivotHigh, pivotLow) < 0) {
                    i++;
                }
                while (compare(pairs, j, pivotHigh, pivotLow) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(pairs, i++, j--);
                }
            }
            // recurse into the smaller part, loop on the larger: stack depth stays logarithmic
            if (j - from < to - i) {
                quicksort(pairs, from, j);
                from = i;
            } else {
                quicksort(pairs, i, to);
                to = j;
            }
        }
        for (int i = from + 1; i <= to; i++) {
            for (int j = i; j > from && compare(pairs, j, pairs[2 * (j - 1)], pairs[2 * (j - 1) + 1]) < 0; j--) {
                swap(pairs, j, j - 1);
            }
        }
    }

    private static int compare(long[] pairs, int i, long high, long low) {
        int byHigh = Long.compareUnsigned(pairs[2 * i], high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(pairs[2 * i + 1], low);
    }

    private static void swap(long[] pairs, int a, int b) {
        long high = pairs[2 * a];
        long low = pairs[2 * a + 1];
        pairs[2 * a] = pairs[2 * b];
        pairs[2 * a + 1] = pairs[2 * b + 1];
        pairs[2 * b] = high;
        pairs[2 * b + 1] = low;
    }

    /** Known ids in id order after a starting id, handed out a chunk at a time. */
    public static final class SortedIds {
        private final long[] guids;
        private final List<String> others;
        private int guid;
        private int other;

        SortedIds(long[] guids, List<String> others, String after) {
            this.guids = guids;
            this.others = others;
            while (guid < guids.length / 2 && idAt(guid).compareTo(after) <= 0) {
                guid++;
            }
            while (other < others.size() && others.get(other).compareTo(after) <= 0) {
                other++;
            }
        }

        private String idAt(int i) {
            return new UUID(guids[2 * i], guids[2 * i + 1]).toString();
        }

        /** Up to {@code limit} more ids, in order; empty at the end. */
        public List<String> next(int limit) {
            List<String> chunk = new ArrayList<>(limit);
            while (chunk.size() < limit && (guid < guids.length / 2 || other < others.size())) {
                String a = guid < guids.length / 2 ? idAt(guid) : null;
                String b = other < others.size() ? others.get(other) : null;
                if (b == null || (a != null && a.compareTo(b) <= 0)) {
                    chunk.add(a);
                    guid++;
                } else {
                    chunk.add(b);
                    other++;
                }
            }
            return chunk;
        }
    }

    private int find(long hi, long lo) {
        int mask = high.length - 1;
        for (int slot = slotOf(hi, lo); etags[slot] != null; slot = (slot + 1) & mask) {
            if (high[slot] == hi && low[slot] == lo) {
                return slot;
            }
        }
        return -1;
    }

    private int slotOf(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return (int) (h & (high.length - 1));
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        byte[][] oldEtags = etags;
        int[] oldRounds = rounds;
        allocate(high.length * 2);
        size = 0;
        for (int slot = 0; slot < oldEtags.length; slot++) {
            if (oldEtags[slot] != null) {
                int target = slotOf(oldHigh[slot], oldLow[slot]);
                while (etags[target] != null) {
                    target = (target + 1) & (high.length - 1);
                }
                high[target] = oldHigh[slot];
                low[target] = oldLow[slot];
                etags[target] = oldEtags[slot];
                rounds[target] = oldRounds[slot];
                size++;
            }
        }
    }

    private int roundIndex(String round) {
        Integer index = roundIndex.get(round);
        if (index != null) {
            return index;
        }
        roundIds.add(round);
        roundIndex.put(round, roundIds.size() - 1);
        return roundIds.size() - 1;
    }

    /**
     * The id as a GUID when it is one in canonical lower-case form (so it prints back the same), else null; checked
     * and read in one pass.
     */
    static UUID guid(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else {
                return null;
            }
            if (i < 19) {
                hi = hi << 4 | digit;
            } else {
                lo = lo << 4 | digit;
            }
        }
        return new UUID(hi, lo);
    }
}
