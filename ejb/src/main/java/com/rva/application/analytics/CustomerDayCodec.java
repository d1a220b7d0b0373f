package com.rva.application.analytics;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.SortedMap;

/**
 * The exact customer set of one store and one UTC day, as {@code portal_store_day.customer_visits} stores it: for
 * each customer (ascending id) the id's difference to the previous one, its visits and its sightings that day, each
 * as an unsigned LEB128 varint. About 3-5 bytes per customer-day instead of a row per visit, so the portal reads
 * O(stores x days) rows and merges the sets in memory (exact distinct counts over any range and store set).
 */
public final class CustomerDayCodec {

    /** One customer's figures of the day. */
    public interface Sink {
        void accept(long customerId, int visits, long sightings);
    }

    private CustomerDayCodec() {
    }

    /** Encodes customer id to {visits, sightings}, ids ascending (a {@link SortedMap}). */
    public static byte[] encode(SortedMap<Long, long[]> byCustomer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(byCustomer.size() * 4 + 1);
        long previous = 0;
        for (Map.Entry<Long, long[]> e : byCustomer.entrySet()) {
            long id = e.getKey();
            if (id < previous) {
                throw new IllegalArgumentException("customer ids must ascend: " + id + " after " + previous);
            }
            writeVarint(out, id - previous);
            writeVarint(out, e.getValue()[0]);
            writeVarint(out, e.getValue()[1]);
            previous = id;
        }
        return out.toByteArray();
    }

    /** Calls the sink once per customer of the encoded day, ids ascending. */
    public static void decode(byte[] data, Sink sink) {
        int[] pos = {0};
        long id = 0;
        while (pos[0] < data.length) {
            id += readVarint(data, pos);
            long visits = readVarint(data, pos);
            long sightings = readVarint(data, pos);
            sink.accept(id, (int) visits, sightings);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] data, int[] pos) {
        long value = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= data.length) {
                throw new IllegalArgumentException("truncated customer-day data at byte " + pos[0]);
            }
            byte b = data[pos[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 63) {
                throw new IllegalArgumentException("malformed varint at byte " + pos[0]);
            }
        }
    }
}
