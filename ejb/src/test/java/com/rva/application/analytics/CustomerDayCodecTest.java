package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
}
