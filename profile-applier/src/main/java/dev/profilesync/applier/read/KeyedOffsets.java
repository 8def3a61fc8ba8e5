package dev.profilesync.applier.read;

import dev.profilesync.events.Identifiers;

/**
 * The records of one partition the sync-status reader remembers, in offset order: each record's offset and its key, a
 * user id (a GUID, kept as its 128 bits). Three ring arrays, 24 bytes a record and no object per record: a backlog of
 * hundreds of thousands of records is a few megabytes the garbage collector never copies, where a map of key strings
 * to boxed offsets was some 250 bytes and six objects a record, copied by every young collection while it lived.
 * Guarded by its owner.
 */
final class KeyedOffsets {

    private static final int INITIAL = 1024;

    private long[] offsets = new long[INITIAL];
    private long[] highs = new long[INITIAL];
    private long[] lows = new long[INITIAL];
    private int head;
    private int size;

    int size() {
        return size;
    }

    /**
     * Remembers the record at {@code offset} (after every offset remembered so far) with this key; a key that is not
     * a GUID is not remembered (no sync-status question can name it). Returns whether it was remembered.
     */
    boolean add(long offset, String key) {
        if (!Identifiers.isGuid(key)) {
            return false;
        }
        if (size == offsets.length) {
            grow();
        }
        int at = (head + size) % offsets.length;
        offsets[at] = offset;
        highs[at] = bits(key, 0);
        lows[at] = bits(key, 19);
        size++;
        return true;
    }

    /** Forgets the records below {@code offset}; returns how many. */
    int forgetBelow(long offset) {
        int forgotten = 0;
        while (size > 0 && offsets[head] < offset) {
            head = (head + 1) % offsets.length;
            size--;
            forgotten++;
        }
        if (size == 0) {
            head = 0;
        }
        return forgotten;
    }

    /** How many remembered records in [{@code from}, {@code end}) carry this user id (any letter case). */
    int count(String userId, long from, long end) {
        if (!Identifiers.isGuid(userId)) {
            return 0;
        }
        long high = bits(userId, 0);
        long low = bits(userId, 19);
        int counted = 0;
        for (int i = 0; i < size; i++) {
            int at = (head + i) % offsets.length;
            long offset = offsets[at];
            if (offset >= end) {
                break;
            }
            if (offset >= from && highs[at] == high && lows[at] == low) {
                counted++;
            }
        }
        return counted;
    }

    private void grow() {
        int capacity = offsets.length * 2;
        long[] newOffsets = new long[capacity];
        long[] newHighs = new long[capacity];
        long[] newLows = new long[capacity];
        for (int i = 0; i < size; i++) {
            int at = (head + i) % offsets.length;
            newOffsets[i] = offsets[at];
            newHighs[i] = highs[at];
            newLows[i] = lows[at];
        }
        offsets = newOffsets;
        highs = newHighs;
        lows = newLows;
        head = 0;
    }

    /** 64 bits of a GUID's hex digits from {@code from} on, dashes skipped: 0 gives the first half, 19 the second. */
    private static long bits(String guid, int from) {
        long value = 0;
        int digits = 0;
        for (int i = from; digits < 16; i++) {
            char c = guid.charAt(i);
            if (c != '-') {
                value = value << 4 | Character.digit(c, 16);
                digits++;
            }
        }
        return value;
    }
}
