package com.rva.application.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The customer-days of a portal range ({@link PortalDays}) merged into exact figures: visits, sightings and distinct
 * customers in all, per UTC day and per store, and each customer's visits and sightings (the customers page).
 * <p>
 * Why not a hash map per figure: at 20M visits an admin's month is ≈ 1.6M customer-days in 30,000 store-days, and
 * adding each to three growing hash maps (the chain, its day, its store) took 2.4–5.7 s on the bench, most of it in
 * the maps and in the garbage collections their growth caused (docs/portal-and-api.md, "Where the time goes").
 * Here the precomputed store-days stay encoded ({@link CustomerDayCodec}) until {@link #finish}. For the dashboard's
 * counts it decodes each customer-day once into an int, its slot: {@code id - smallest id} when the ids are dense enough (customer ids come
 * from a sequence, so a range's customers span at most a few times as many ids as it has customer-days), else one
 * from an open-addressing map. The distinct counts are then bit sets of the slots: the chain's, each day's (the
 * store-days in day order) and each store's (in store order), each cleared through the slots it set. Visits and
 * sightings are summed per store-day while decoding. The customers page merges alone ({@code customersOnly}: a decode
 * for the id span, then one into two int arrays of that span, ≈ 20 MB at 2.5M ids). No boxing, no per-figure map.
 */
final class CustomerDayMerge implements PortalDays.Sink {

    /**
     * Dense slots while the id span is at most this many times the customer-days plus a little (so the slot arrays
     * are no larger than a few times the customer-days themselves), and never above {@link #MAX_DENSE_SPAN}.
     */
    static final long DENSE_SPAN_PER_ENTRY = 4;
    static final long MAX_DENSE_SPAN = 32L << 20;

    /** A store's or a day's figures. */
    static final class Figures {
        long visits;
        long sightings;
        long customers;
    }

    private final boolean byDay;
    private final boolean byStore;
    private final boolean perCustomer;

    // the store-days: either a precomputed row (encoded) or a run of live customer-days (one per visit)
    private final List<byte[]> blockData = new ArrayList<>();
    private int[] blockStore = new int[256];
    private int[] blockDay = new int[256];
    private int[] blockLiveStart = new int[256];
    private int[] blockLiveEnd = new int[256];
    private int blocks;
    private final Map<Long, Integer> storeIndex = new HashMap<>();
    private final List<Long> storeIdsByIndex = new ArrayList<>();
    private boolean liveBlockOpen;

    // the live customer-days
    private long[] liveIds = new long[64];
    private int[] liveVisits = new int[64];
    private long[] liveSightings = new long[64];
    private int live;

    // the merged figures (after finish)
    private boolean finished;
    private long totalVisits;
    private long totalSightings;
    private int customers;
    private long base; // dense: slot = id - base
    private IdSlots sparse; // else
    private long[] seen; // a bit per slot: the customer came
    private int[] slotVisits; // perCustomer only
    private int[] slotSightings;
    private final Map<LocalDate, Figures> days = new HashMap<>();
    private final Map<Long, Figures> stores = new HashMap<>();

    /**
     * @param perCustomer keep each customer's visits and sightings ({@link #entries}, the customers page); without
     *        it only the counts are kept and the passes touch nothing but bit sets of the id span (≈ 300 KB at 2.5M
     *        customers: they stay in the processor's cache, where arrays of ints per slot do not)
     */
    CustomerDayMerge(boolean byDay, boolean byStore, boolean perCustomer) {
        if (perCustomer && (byDay || byStore)) {
            // no page asks for both, and the customers page's merge (customersOnly) counts neither
            throw new IllegalArgumentException("per-customer figures are merged without day or store counts");
        }
        this.byDay = byDay;
        this.byStore = byStore;
        this.perCustomer = perCustomer;
    }

    /** A precomputed store-day: its customers as {@link CustomerDayCodec} encoded them (decoded in {@link #finish}). */
    @Override
    public void row(long storeId, LocalDate day, byte[] encoded) {
        requireOpen();
        newBlock(storeId, day, encoded);
        liveBlockOpen = false;
    }

    /** The live customer-days that follow ({@link #accept}) are of this store and day. */
    @Override
    public void storeDay(long storeId, LocalDate day) {
        requireOpen();
        if (liveBlockOpen && blockStore[blocks - 1] == storeIndex(storeId) && blockDay[blocks - 1] == epochDay(day)) {
            return;
        }
        newBlock(storeId, day, null);
        blockLiveStart[blocks - 1] = live;
        blockLiveEnd[blocks - 1] = live;
        liveBlockOpen = true;
    }

    /** One live customer-day (a visit) of the store-day named last by {@link #storeDay}. */
    @Override
    public void accept(long customerId, int v, long s) {
        requireOpen();
        if (!liveBlockOpen) {
            throw new IllegalStateException("a customer-day without its store-day");
        }
        check(customerId, v, s);
        if (live == liveIds.length) {
            liveIds = Arrays.copyOf(liveIds, live * 2);
            liveVisits = Arrays.copyOf(liveVisits, live * 2);
            liveSightings = Arrays.copyOf(liveSightings, live * 2);
        }
        liveIds[live] = customerId;
        liveVisits[live] = v;
        liveSightings[live] = s;
        live++;
        blockLiveEnd[blocks - 1] = live;
    }

    private static void check(long customerId, long v, long s) {
        if (customerId <= 0 || v <= 0 || v > Integer.MAX_VALUE || s < 0 || s > Integer.MAX_VALUE) {
            // a customer-day has at least one visit (it is why the customer is in the day's set)
            throw new IllegalArgumentException("a customer-day needs a positive customer id, 1 to 2^31-1 visits and 0 to"
                    + " 2^31-1 sightings, not "
                    + customerId + "/" + v + "/" + s);
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("merged already");
        }
    }

    private void newBlock(long storeId, LocalDate day, byte[] data) {
        if (blocks == blockStore.length) {
            int n = blocks * 2;
            blockStore = Arrays.copyOf(blockStore, n);
            blockDay = Arrays.copyOf(blockDay, n);
            blockLiveStart = Arrays.copyOf(blockLiveStart, n);
            blockLiveEnd = Arrays.copyOf(blockLiveEnd, n);
        }
        blockData.add(data);
        blockStore[blocks] = storeIndex(storeId);
        blockDay[blocks] = epochDay(day);
        blocks++;
    }

    private int storeIndex(long storeId) {
        Integer s = storeIndex.get(storeId);
        if (s == null) {
            s = storeIdsByIndex.size();
            storeIndex.put(storeId, s);
            storeIdsByIndex.add(storeId);
        }
        return s;
    }

    private static int epochDay(LocalDate day) {
        return Math.toIntExact(day.toEpochDay());
    }

    /** Walks a block's customer-days: the decoded row, or the live run. */
    private final class Cursor {
        private byte[] data;
        private int pos;
        private int liveAt;
        private int liveEnd;
        long id;
        int visits;
        long sightings;

        Cursor open(int block) {
            data = blockData.get(block);
            pos = 0;
            id = 0;
            liveAt = blockLiveStart[block];
            liveEnd = blockLiveEnd[block];
            return this;
        }

        boolean next() {
            if (data == null) {
                if (liveAt >= liveEnd) {
                    return false;
                }
                id = liveIds[liveAt];
                visits = liveVisits[liveAt];
                sightings = liveSightings[liveAt];
                liveAt++;
                return true;
            }
            if (pos >= data.length) {
                return false;
            }
            id += varint();
            long v = varint();
            sightings = varint();
            check(id, v, sightings);
            visits = (int) v;
            return true;
        }

        private long varint() {
            long value = 0;
            int shift = 0;
            while (true) {
                if (pos >= data.length) {
                    throw new IllegalArgumentException("truncated customer-day data at byte " + pos);
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalArgumentException("malformed varint at byte " + pos);
                }
            }
        }
    }

    /**
     * Merges what came: after this, the figures can be read and nothing more can be added.
     * <p>
     * The customer-days are decoded once (pass A): each becomes an int, its id's distance to the range's smallest
     * id (the first id of each encoded row, so known before decoding), and each store-day's visits and sightings are
     * summed on the way. The slots are then those distances when the ids are dense enough, else an open-addressing
     * map's; the day pass and the store pass only walk that int array with bit sets.
     */
    CustomerDayMerge finish() {
        if (finished) {
            return this;
        }
        finished = true;
        Cursor c = new Cursor();
        if (perCustomer) {
            customersOnly(c);
            blockData.clear();
            liveIds = null;
            return this;
        }
        long min = smallestId(c);
        // pass A: every customer-day decoded once, to its id's distance from the smallest id
        int[] blockStart = new int[blocks + 1];
        long[] blockVisits = new long[blocks];
        long[] blockSightings = new long[blocks];
        // at most one customer-day per 3 bytes of a row (three varints) and one per live visit
        long bound = live;
        for (byte[] data : blockData) {
            bound += data == null ? 0 : data.length / 3;
        }
        int capacity0 = Math.toIntExact(bound);
        int[] entrySlot = new int[capacity0];
        int n = 0;
        long maxDistance = -1;
        boolean farApart = false; // ids 2^31 or more apart: distances do not fit an int
        for (int b = 0; b < blocks; b++) {
            blockStart[b] = n;
            c.open(b);
            long v = 0;
            long s = 0;
            while (c.next()) {
                long distance = c.id - min;
                farApart |= distance > Integer.MAX_VALUE;
                maxDistance = Math.max(maxDistance, distance);
                entrySlot[n] = (int) distance;
                n++;
                v += c.visits;
                s += c.sightings;
            }
            blockVisits[b] = v;
            blockSightings[b] = s;
            totalVisits += v;
            totalSightings += s;
        }
        blockStart[blocks] = n;
        long span = maxDistance + 1;
        int capacity;
        if (!farApart && dense(span, n)) {
            base = min;
            capacity = (int) span;
        } else {
            sparse = new IdSlots((int) Math.min(n, 1 << 26));
            if (farApart) {
                int i = 0;
                for (int b = 0; b < blocks; b++) {
                    c.open(b);
                    while (c.next()) {
                        entrySlot[i++] = sparse.slot(c.id);
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    entrySlot[i] = sparse.slot(min + entrySlot[i]);
                }
            }
            capacity = sparse.size();
        }
        seen = new long[(capacity + 63) >>> 6];
        for (int i = 0; i < n; i++) {
            see(entrySlot[i]);
        }
        Group group = byDay || byStore ? new Group(seen.length) : null;
        // the store-days in day order: the customers per day
        if (byDay) {
            countGroups(blockDay, blockStart, entrySlot, blockVisits, blockSightings, group,
                    key -> days.computeIfAbsent(LocalDate.ofEpochDay(key), k -> new Figures()));
        }
        // in store order: the customers per store
        if (byStore) {
            countGroups(blockStore, blockStart, entrySlot, blockVisits, blockSightings, group,
                    key -> stores.computeIfAbsent(storeIdsByIndex.get(key), k -> new Figures()));
        }
        blockData.clear();
        liveIds = null;
        return this;
    }

    /**
     * The customers page's merge (per-customer figures, no day or store counts): a decode for the id span and the
     * number of customer-days, then one into slot arrays of exactly that span. Measured at 20M visits (admin's month,
     * 1.6M customer-days): 180-200 ms of merge at the median, where one decode into arrays grown as larger ids came
     * took 440 ms and the general way (an int per customer-day, then a second decode) 265 ms.
     */
    private void customersOnly(Cursor c) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long entries = 0;
        for (int b = 0; b < blocks; b++) {
            c.open(b);
            while (c.next()) {
                min = Math.min(min, c.id);
                max = Math.max(max, c.id);
                entries++;
            }
        }
        long span = entries == 0 ? 0 : max - min + 1;
        int capacity;
        if (dense(span, entries)) {
            base = min;
            capacity = (int) span;
        } else {
            sparse = new IdSlots((int) Math.min(entries, 1 << 26));
            for (int b = 0; b < blocks; b++) {
                c.open(b);
                while (c.next()) {
                    sparse.slot(c.id);
                }
            }
            capacity = sparse.size();
        }
        seen = new long[(capacity + 63) >>> 6];
        slotVisits = new int[capacity];
        slotSightings = new int[capacity];
        for (int b = 0; b < blocks; b++) {
            c.open(b);
            while (c.next()) {
                int k = sparse == null ? (int) (c.id - base) : sparse.find(c.id);
                see(k);
                slotVisits[k] = Math.addExact(slotVisits[k], c.visits);
                slotSightings[k] = Math.addExact(slotSightings[k], (int) c.sightings);
                totalVisits += c.visits;
                totalSightings += c.sightings;
            }
        }
    }

    /** Marks the slot's customer as seen in the range, counting it the first time. */
    private void see(int k) {
        long bit = 1L << k;
        if ((seen[k >>> 6] & bit) == 0) {
            seen[k >>> 6] |= bit;
            customers++;
        }
    }

    /** Whether slots {@code id - smallest id} pay for a span of ids holding that many customer-days. */
    private static boolean dense(long span, long entries) {
        return span <= MAX_DENSE_SPAN && span <= DENSE_SPAN_PER_ENTRY * entries + 4096;
    }

    /** The smallest customer id: each encoded row's first (ids ascend within a row), each live one. */
    private long smallestId(Cursor c) {
        long min = Long.MAX_VALUE;
        for (int b = 0; b < blocks; b++) {
            c.open(b);
            if (blockData.get(b) != null) {
                if (c.next()) {
                    min = Math.min(min, c.id);
                }
            } else {
                while (c.next()) {
                    min = Math.min(min, c.id);
                }
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /** One figure per key (day or store): the blocks in key order, their slots marked in a {@link Group}. */
    private void countGroups(int[] blockKey, int[] blockStart, int[] entrySlot, long[] blockVisits,
            long[] blockSightings, Group group, java.util.function.IntFunction<Figures> figures) {
        Figures f = null;
        int key = 0;
        for (int b : order(blockKey)) {
            if (f == null || blockKey[b] != key) {
                group.clear();
                key = blockKey[b];
                f = figures.apply(key);
            }
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                if (group.add(entrySlot[i])) {
                    f.customers++;
                }
            }
            f.visits += blockVisits[b];
            f.sightings += blockSightings[b];
        }
        group.clear();
    }

    /** The customers of one day or store: a bit set of the span, cleared through the slots it set. */
    private static final class Group {
        private final long[] bits;
        private int[] touched = new int[1024];
        private int count;

        Group(int words) {
            bits = new long[words];
        }

        /** Marks the slot; true when it was not marked yet. */
        boolean add(int k) {
            long bit = 1L << k;
            if ((bits[k >>> 6] & bit) != 0) {
                return false;
            }
            bits[k >>> 6] |= bit;
            if (count == touched.length) {
                touched = Arrays.copyOf(touched, count * 2);
            }
            touched[count++] = k;
            return true;
        }

        void clear() {
            for (int i = 0; i < count; i++) {
                bits[touched[i] >>> 6] = 0;
            }
            count = 0;
        }
    }

    /** The blocks ordered by a key (day or store), arrival order within a key. */
    private int[] order(int[] key) {
        long[] sortable = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            sortable[b] = ((long) key[b] << 32) | b;
        }
        Arrays.sort(sortable);
        int[] out = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            out[i] = (int) sortable[i];
        }
        return out;
    }

    private void requireFinished() {
        if (!finished) {
            throw new IllegalStateException("finish() first");
        }
    }

    long visits() {
        requireFinished();
        return totalVisits;
    }

    long sightings() {
        requireFinished();
        return totalSightings;
    }

    /** Distinct customers. */
    int customers() {
        requireFinished();
        return customers;
    }

    /** Whether the slots are {@code id - smallest id} (else a hash map's). */
    boolean isDense() {
        requireFinished();
        return sparse == null;
    }

    boolean contains(long customerId) {
        requireFinished();
        long k = sparse != null ? sparse.find(customerId) : customerId - base;
        return k >= 0 && k < (long) seen.length << 6 && (seen[(int) (k >>> 6)] & (1L << k)) != 0;
    }

    /** Per UTC day (only with {@code byDay}); days without customer-days are absent. */
    Map<LocalDate, Figures> days() {
        requireFinished();
        return days;
    }

    /** Per store id (only with {@code byStore}); stores without customer-days are absent. */
    Map<Long, Figures> stores() {
        requireFinished();
        return stores;
    }

    /**
     * The customers with their visits and sightings, ids ascending: with dense slots the slot arrays themselves
     * (position = slot, id = base + slot, a slot without visits is no customer), else sorted copies.
     */
    Entries entries() {
        requireFinished();
        if (!perCustomer) {
            throw new IllegalStateException("merged without the per-customer figures");
        }
        if (sparse == null) {
            return new Entries(null, base, slotVisits, slotSightings);
        }
        long[] keys = sparse.keysBySlot();
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        int[] v = new int[sorted.length];
        int[] s = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            int slot = sparse.find(sorted[i]);
            v[i] = slotVisits[slot];
            s[i] = slotSightings[slot];
        }
        return new Entries(sorted, 0, v, s);
    }

    /**
     * Customers by position, ids ascending: {@code keys[i]} (or {@code base + i} when {@code keys} is null) with
     * {@code visits[i]} and {@code sightings[i]}; a position with no visits holds no customer.
     */
    record Entries(long[] keys, long base, int[] visits, int[] sightings) {
        int length() {
            return visits.length;
        }

        long key(int i) {
            return keys == null ? base + i : keys[i];
        }

        boolean present(int i) {
            return visits[i] > 0;
        }
    }

    /** Above this figure {@link #pagePositions} sorts instead of counting. */
    static final int MAX_COUNTED_FIGURE = 1 << 20;

    /**
     * The positions in {@code e} of the rows {@code first} .. {@code first + size - 1} in the order of {@code sort}
     * (ties by customer id ascending). By visits or sightings the figures are counted (how many customers have each
     * value), which places every value's run in the order; one pass in id order then drops each customer of the page
     * at its rank: O(positions + largest figure), no sort of a million keys.
     */
    static int[] pagePositions(Entries e, CustomerVisitsSort sort, boolean ascending, int first, int size) {
        int n = e.length();
        long count = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            if (e.present(i)) {
                count++;
                max = Math.max(max, figure(e, sort, i));
            }
        }
        if (first >= count) {
            return new int[0];
        }
        int end = (int) Math.min(count, (long) first + size);
        int[] out = new int[end - first];
        if (sort == CustomerVisitsSort.CUSTOMER_ID) {
            long rank = 0;
            for (int k = 0; k < n; k++) {
                int i = ascending ? k : n - 1 - k;
                if (e.present(i)) {
                    if (rank >= first && rank < end) {
                        out[(int) (rank - first)] = i;
                    }
                    rank++;
                }
            }
            return out;
        }
        if (sort != CustomerVisitsSort.VISITS && sort != CustomerVisitsSort.SIGHTINGS) {
            throw new IllegalArgumentException("not a precomputed sort: " + sort);
        }
        if (max > MAX_COUNTED_FIGURE) {
            return sortedPositions(e, sort, ascending, first, end);
        }
        int values = (int) max + 1;
        long[] before = new long[values]; // first the count per value, then the rank of its next customer
        for (int i = 0; i < n; i++) {
            if (e.present(i)) {
                before[(int) figure(e, sort, i)]++;
            }
        }
        long rank = 0;
        for (int k = 0; k < values; k++) {
            int value = ascending ? k : values - 1 - k;
            long c = before[value];
            before[value] = rank;
            rank += c;
        }
        for (int i = 0; i < n; i++) {
            if (e.present(i)) {
                long r = before[(int) figure(e, sort, i)]++;
                if (r >= first && r < end) {
                    out[(int) (r - first)] = i;
                }
            }
        }
        return out;
    }

    private static long figure(Entries e, CustomerVisitsSort sort, int i) {
        return sort == CustomerVisitsSort.VISITS ? e.visits()[i] : e.sightings()[i];
    }

    /** The same as {@link #pagePositions} by a full sort (figures too large to count). */
    private static int[] sortedPositions(Entries e, CustomerVisitsSort sort, boolean ascending, int first, int end) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < e.length(); i++) {
            if (e.present(i)) {
                order.add(i);
            }
        }
        java.util.Comparator<Integer> byFigure = (x, y) -> Long.compare(figure(e, sort, x), figure(e, sort, y));
        order.sort((ascending ? byFigure : byFigure.reversed()).thenComparing((x, y) -> Long.compare(e.key(x), e.key(y))));
        int[] out = new int[end - first];
        for (int r = first; r < end; r++) {
            out[r - first] = order.get(r);
        }
        return out;
    }

    /** Positive long ids to dense slots 0, 1, 2, ... in the order they are first seen (open addressing). */
    static final class IdSlots {
        private long[] table;
        private int[] slots;
        private long[] bySlot;
        private int size;

        IdSlots(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
            table = new long[capacity];
            slots = new int[capacity];
            bySlot = new long[Math.max(16, expected / 4)];
        }

        int slot(long id) {
            int i = index(table, id);
            if (table[i] == id) {
                return slots[i];
            }
            if ((size + 1) * 2 > table.length) {
                grow();
                i = index(table, id);
            }
            table[i] = id;
            slots[i] = size;
            if (size == bySlot.length) {
                bySlot = Arrays.copyOf(bySlot, size * 2);
            }
            bySlot[size] = id;
            return size++;
        }

        int find(long id) {
            int i = index(table, id);
            return table[i] == id ? slots[i] : -1;
        }

        int size() {
            return size;
        }

        long[] keysBySlot() {
            return Arrays.copyOf(bySlot, size);
        }

        private static int index(long[] table, long id) {
            int mask = table.length - 1;
            long x = id * 0x9E3779B97F4A7C15L;
            int i = (int) ((x ^ (x >>> 29)) & mask);
            while (table[i] != 0 && table[i] != id) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] oldTable = table;
            int[] oldSlots = slots;
            table = new long[oldTable.length * 2];
            slots = new int[table.length];
            for (int j = 0; j < oldTable.length; j++) {
                if (oldTable[j] != 0) {
                    int i = index(table, oldTable[j]);
                    table[i] = oldTable[j];
                    slots[i] = oldSlots[j];
                }
            }
        }
    }
}
