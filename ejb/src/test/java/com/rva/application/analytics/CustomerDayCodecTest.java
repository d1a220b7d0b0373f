package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class CustomerDayCodecTest {

    @Test
    void roundTripsCustomersVisitsAndSightingsInIdOrder() {
        SortedMap<Long, long[]> day = new TreeMap<>();
        day.put(941L, new long[] {2, 6});
        day.put(7L, new long[] {1, 1});
        day.put(3_000_000_000L, new long[] {1, 300});
        byte[] data = CustomerDayCodec.encode(day);
        List<String> decoded = new ArrayList<>();
        CustomerDayCodec.decode(data, (id, visits, sightings) -> decoded.add(id + ":" + visits + ":" + sightings));
        assertEquals(List.of("7:1:1", "941:2:6", "3000000000:1:300"), decoded);
        // small ids and counts take a few bytes each (varint deltas), not a row per visit
        SortedMap<Long, long[]> dense = new TreeMap<>();
        for (long id = 1_000_000; id < 1_000_100; id++) {
            dense.put(id, new long[] {1, 2});
        }
        assertTrue(CustomerDayCodec.encode(dense).length <= 3 * 100 + 3, "3 bytes per customer after the first");
        assertEquals(0, CustomerDayCodec.encode(new TreeMap<>()).length);
    }

    @Test
    void truncatedDataIsRefusedNotMisread() {
        SortedMap<Long, long[]> day = new TreeMap<>();
        day.put(300L, new long[] {200, 1});
        byte[] data = CustomerDayCodec.encode(day);
        byte[] cut = java.util.Arrays.copyOf(data, data.length - 1);
        assertThrows(IllegalArgumentException.class, () -> CustomerDayCodec.decode(cut, (a, b, c) -> { }));
    }

    @Test
    void longStatsCountsDistinctKeysExactlyAndSumsTheirFigures() {
        Random r = new Random(42);
        LongStats stats = new LongStats(4);
        Set<Long> expected = new HashSet<>();
        long visits = 0;
        for (int i = 0; i < 100_000; i++) {
            long id = 1 + r.nextInt(30_000);
            expected.add(id);
            stats.add(id, 1, 2);
            visits++;
        }
        assertEquals(expected.size(), stats.size());
        assertTrue(stats.contains(expected.iterator().next()));
        assertFalse(stats.contains(40_000));
        LongStats.Entries e = stats.entries();
        long sum = 0;
        long sightings = 0;
        for (int i = 0; i < e.keys().length; i++) {
            sum += e.visits()[i];
            sightings += e.sightings()[i];
        }
        assertEquals(visits, sum);
        assertEquals(2 * visits, sightings);
        assertThrows(IllegalArgumentException.class, () -> stats.add(0, 1, 1));
    }
}
