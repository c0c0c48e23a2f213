package org.nucleispark.metrics;

import java.util.Arrays;

/**
 * Counts occurrences of non-zero {@code long} keys in an open-addressing table of primitives.
 * A {@code HashMap<Long,Integer>} would box every update; an image with a million pixels and a few
 * thousand distinct (true, predicted) label pairs needs neither the boxing nor a dense matrix.
 */
final class PairCounter {
    /** Key 0 marks an empty slot, which is why callers may not count key 0. */
    private static final long EMPTY = 0L;

    private long[] keys;
    private int[] counts;
    private int size;
    private int shift;

    PairCounter() {
        keys = new long[64];
        counts = new int[64];
        shift = 64 - 6;
    }

    void add(long key, int count) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("key 0 is reserved for empty slots");
        }
        int mask = keys.length - 1;
        int slot = slot(key);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            size++;
            counts[slot] = count;
            if (size * 2 > keys.length) {
                grow();
            }
        } else {
            counts[slot] += count;
        }
    }

    int get(long key) {
        int mask = keys.length - 1;
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return counts[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0;
    }

    /** The counted keys in ascending order. */
    long[] sortedKeys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private int slot(long key) {
        // Fibonacci hashing: label pairs are small, clustered integers and need mixing.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        shift--;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                add(oldKeys[i], oldCounts[i]);
            }
        }
    }
}
