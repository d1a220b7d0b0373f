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
 * Why not a hash map per figure: at 20M visits an admin's month is ≈ 1.6M customer-days of 30,000 store-days, and
 * adding each to three hash maps (the chain, its day, its store) took 2.4–5.7 s on the bench (docs/portal-and-api.md,
 * "Where the time goes"). Here the customer-days are first appended to flat arrays (a block per store-day), then each
 * customer gets a slot: {@code id - smallest id} when the ids are dense enough (customer ids come from a sequence, so
 * a range's customers span a few million ids at most), else a slot from one open-addressing map. Distinct counts are
 * then a pass over the customer-days with one int "last counted in" mark per slot: the chain's count, the days' (the
 * blocks in day order, mark = day) and the stores' (blocks in store order, mark = store). Each pass touches every
 * customer-day once, with no boxing and no per-figure map.
 */
final class CustomerDayMerge implements PortalDays.Sink {

    /**
     * Dense slots while the id span is at most this many times the customer-days plus a little (so the per-slot
     * arrays are no larger than a few times the customer-days themselves), and never above {@link #MAX_DENSE_SPAN}.
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

    // the customer-days, in the order they came, and the blocks (store-days) they belong to
    private long[] ids = new long[1 << 14];
    private int[] visits = new int[1 << 14];
    private long[] sightings = new long[1 << 14];
    private int size;
    private long minId = Long.MAX_VALUE;
    private long maxId = Long.MIN_VALUE;
    private int[] blockStart = new int[256];
    private int[] blockStore = new int[256];
    private int[] blockDay = new int[256];
    private int blocks;
    private final Map<Long, Integer> storeIndex = new HashMap<>();
    private final List<Long> storeIdsByIndex = new ArrayList<>();
    private long currentStore = Long.MIN_VALUE;
    private LocalDate currentDay;

    // the merged figures (after finish)
    private boolean finished;
    private long totalVisits;
    private long totalSightings;
    private int customers;
    private long base; // dense: slot = id - base
    private IdSlots sparse; // else
    private int[] slotVisits;
    private long[] slotSightings;
    private final Map<LocalDate, Figures> days = new HashMap<>();
    private final Map<Long, Figures> stores = new HashMap<>();

    CustomerDayMerge(boolean byDay, boolean byStore) {
        this.byDay = byDay;
        this.byStore = byStore;
    }

    @Override
    public void storeDay(long storeId, LocalDate day) {
        if (storeId == currentStore && day.equals(currentDay) && blocks > 0) {
            return;
        }
        if (blocks == blockStart.length) {
            blockStart = Arrays.copyOf(blockStart, blocks * 2);
            blockStore = Arrays.copyOf(blockStore, blocks * 2);
            blockDay = Arrays.copyOf(blockDay, blocks * 2);
        }
        Integer s = storeIndex.get(storeId);
        if (s == null) {
            s = storeIdsByIndex.size();
            storeIndex.put(storeId, s);
            storeIdsByIndex.add(storeId);
        }
        blockStart[blocks] = size;
        blockStore[blocks] = s;
        blockDay[blocks] = Math.toIntExact(day.toEpochDay());
        blocks++;
        currentStore = storeId;
        currentDay = day;
    }

    @Override
    public void accept(long customerId, int v, long s) {
        if (finished) {
            throw new IllegalStateException("merged already");
        }
        if (customerId <= 0 || v <= 0) {
            // a customer-day has at least one visit (it is why the customer is in the day's set)
            throw new IllegalArgumentException("a customer-day needs a positive customer id and visits, not "
                    + customerId + "/" + v);
        }
        if (blocks == 0) {
            throw new IllegalStateException("a customer-day without its store-day");
        }
        if (size == ids.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n);
            visits = Arrays.copyOf(visits, n);
            sightings = Arrays.copyOf(sightings, n);
        }
        ids[size] = customerId;
        visits[size] = v;
        sightings[size] = s;
        size++;
        minId = Math.min(minId, customerId);
        maxId = Math.max(maxId, customerId);
    }

    /** Merges what came: after this, the figures can be read and nothing more can be added. */
    CustomerDayMerge finish() {
        if (finished) {
            return this;
        }
        finished = true;
        int[] slot = new int[size];
        int capacity;
        long span = size == 0 ? 0 : maxId - minId + 1;
        if (span <= MAX_DENSE_SPAN && span <= DENSE_SPAN_PER_ENTRY * size + 4096) {
            base = minId;
            capacity = (int) span;
            for (int i = 0; i < size; i++) {
                slot[i] = (int) (ids[i] - base);
            }
        } else {
            sparse = new IdSlots(size);
            for (int i = 0; i < size; i++) {
                slot[i] = sparse.slot(ids[i]);
            }
            capacity = sparse.size();
        }
        slotVisits = new int[capacity];
        slotSightings = new long[capacity];
        for (int i = 0; i < size; i++) {
            int k = slot[i];
            if (slotVisits[k] == 0) {
                customers++;
            }
            slotVisits[k] += visits[i];
            slotSightings[k] += sightings[i];
            totalVisits += visits[i];
            totalSightings += sightings[i];
        }
        if (byDay || byStore) {
            int[] mark = new int[capacity];
            if (byDay) {
                distinctPerGroup(slot, mark, blockDay, days, d -> LocalDate.ofEpochDay(d));
            }
            if (byStore) {
                if (byDay) {
                    Arrays.fill(mark, 0);
                }
                distinctPerGroup(slot, mark, blockStore, stores, storeIdsByIndex::get);
            }
        }
        // the raw customer-days are not needed any more
        ids = null;
        visits = null;
        sightings = null;
        return this;
    }

    /**
     * The figures per group (day or store) of the blocks: the blocks in group order, a customer counted once per
     * group (mark = group index + 1).
     */
    private <K> void distinctPerGroup(int[] slot, int[] mark, int[] blockGroup, Map<K, Figures> out,
            java.util.function.IntFunction<K> key) {
        Integer[] order = new Integer[blocks];
        for (int b = 0; b < blocks; b++) {
            order[b] = b;
        }
        // stable: the groups' blocks stay in arrival order
        Arrays.sort(order, (x, y) -> Integer.compare(blockGroup[x], blockGroup[y]));
        int stamp = 0;
        int group = Integer.MIN_VALUE;
        Figures f = null;
        for (int o = 0; o < blocks; o++) {
            int b = order[o];
            if (f == null || blockGroup[b] != group) {
                group = blockGroup[b];
                stamp++;
                f = out.computeIfAbsent(key.apply(group), k -> new Figures());
            }
            int end = b + 1 < blocks ? blockStart[b + 1] : size;
            for (int i = blockStart[b]; i < end; i++) {
                int k = slot[i];
                if (mark[k] != stamp) {
                    mark[k] = stamp;
                    f.customers++;
                }
                f.visits += visits[i];
                f.sightings += sightings[i];
            }
        }
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
        if (sparse != null) {
            int k = sparse.find(customerId);
            return k >= 0 && slotVisits[k] > 0;
        }
        long k = customerId - base;
        return k >= 0 && k < slotVisits.length && slotVisits[(int) k] > 0;
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

    /** The customers with their visits and sightings, ids ascending. */
    LongStats.Entries entries() {
        requireFinished();
        long[] k = new long[customers];
        int[] v = new int[customers];
        long[] s = new long[customers];
        int n = 0;
        if (sparse == null) {
            for (int i = 0; i < slotVisits.length; i++) {
                if (slotVisits[i] > 0) {
                    k[n] = base + i;
                    v[n] = slotVisits[i];
                    s[n] = slotSightings[i];
                    n++;
                }
            }
            return new LongStats.Entries(k, v, s);
        }
        long[] keys = sparse.keysBySlot();
        long[] sorted = new long[customers];
        for (int i = 0; i < keys.length; i++) {
            if (slotVisits[i] > 0) {
                sorted[n++] = keys[i];
            }
        }
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            int slot = sparse.find(sorted[i]);
            k[i] = sorted[i];
            v[i] = slotVisits[slot];
            s[i] = slotSightings[slot];
        }
        return new LongStats.Entries(k, v, s);
    }

    /** Above this figure {@link #pagePositions} sorts instead of counting. */
    static final int MAX_COUNTED_FIGURE = 1 << 20;

    /**
     * The positions in {@code e} (ids ascending, as {@link #entries} gives them) of the rows {@code first} ..
     * {@code first + size - 1} in the order of {@code sort} (ties by customer id ascending). By visits or sightings
     * the figures are counted (how many customers have each value), which places every value's run in the order;
     * one pass in id order then drops each customer of the page at its rank: O(customers + largest figure), no sort
     * of a million keys.
     */
    static int[] pagePositions(LongStats.Entries e, CustomerVisitsSort sort, boolean ascending, int first, int size) {
        int n = e.keys().length;
        if (first >= n) {
            return new int[0];
        }
        int end = (int) Math.min(n, (long) first + size);
        int[] out = new int[end - first];
        if (sort == CustomerVisitsSort.CUSTOMER_ID) {
            for (int r = first; r < end; r++) {
                out[r - first] = ascending ? r : n - 1 - r;
            }
            return out;
        }
        if (sort != CustomerVisitsSort.VISITS && sort != CustomerVisitsSort.SIGHTINGS) {
            throw new IllegalArgumentException("not a precomputed sort: " + sort);
        }
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, figure(e, sort, i));
        }
        if (max > MAX_COUNTED_FIGURE) {
            return sortedPositions(e, sort, ascending, first, end);
        }
        int values = (int) max + 1;
        long[] before = new long[values]; // first the count per value, then the rank of its first customer
        for (int i = 0; i < n; i++) {
            before[(int) figure(e, sort, i)]++;
        }
        long rank = 0;
        for (int k = 0; k < values; k++) {
            int value = ascending ? k : values - 1 - k;
            long count = before[value];
            before[value] = rank;
            rank += count;
        }
        for (int i = 0; i < n; i++) {
            long r = before[(int) figure(e, sort, i)]++;
            if (r >= first && r < end) {
                out[(int) (r - first)] = i;
            }
        }
        return out;
    }

    private static long figure(LongStats.Entries e, CustomerVisitsSort sort, int i) {
        return sort == CustomerVisitsSort.VISITS ? e.visits()[i] : e.sightings()[i];
    }

    /** The same as {@link #pagePositions} by a full sort (figures too large to count). */
    private static int[] sortedPositions(LongStats.Entries e, CustomerVisitsSort sort, boolean ascending, int first,
            int end) {
        Integer[] order = new Integer[e.keys().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Comparator<Integer> byFigure = (x, y) -> Long.compare(figure(e, sort, x), figure(e, sort, y));
        Arrays.sort(order, (ascending ? byFigure : byFigure.reversed())
                .thenComparing((x, y) -> Long.compare(e.keys()[x], e.keys()[y])));
        int[] out = new int[end - first];
        for (int r = first; r < end; r++) {
            out[r - first] = order[r];
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
