package com.rva.application.analytics;

import java.util.Arrays;

/**
 * An open-addressing hash map from a positive long key (a customer id) to a visit and a sightings count, for
 * merging the precomputed customer sets of many store-days ({@link CustomerDayCodec}) without boxing: its size is
 * the exact number of distinct keys.
 */
final class LongStats {

    private long[] keys;
    private int[] visits;
    private long[] sightings;
    private int size;

    LongStats(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        visits = new int[capacity];
        sightings = new long[capacity];
    }

    void add(long key, int v, long s) {
        if (key <= 0) {
            throw new IllegalArgumentException("ids are positive: " + key);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(keys, key);
        if (keys[i] == 0) {
            keys[i] = key;
            size++;
        }
        visits[i] += v;
        sightings[i] += s;
    }

    boolean contains(long key) {
        return key > 0 && keys[slot(keys, key)] == key;
    }

    int size() {
        return size;
    }

    /** The keys (unordered) with their figures, as parallel arrays of length {@link #size()}. */
    Entries entries() {
        long[] k = new long[size];
        int[] v = new int[size];
        long[] s = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                k[n] = keys[i];
                v[n] = visits[i];
                s[n] = sightings[i];
                n++;
            }
        }
        return new Entries(k, v, s);
    }

    record Entries(long[] keys, int[] visits, long[] sightings) {
    }

    private static int slot(long[] table, long key) {
        int mask = table.length - 1;
        int i = (int) (mix(key) & mask);
        while (table[i] != 0 && table[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldVisits = visits;
        long[] oldSightings = sightings;
        keys = new long[oldKeys.length * 2];
        visits = new int[keys.length];
        sightings = new long[keys.length];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = slot(keys, oldKeys[j]);
                keys[i] = oldKeys[j];
                visits[i] = oldVisits[j];
                sightings[i] = oldSightings[j];
            }
        }
    }

    @Override
    public String toString() {
        return "LongStats[" + size + " of " + keys.length + "]" + (size < 10 ? Arrays.toString(entries().keys()) : "");
    }
}
