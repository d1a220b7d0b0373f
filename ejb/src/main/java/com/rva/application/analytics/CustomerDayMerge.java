package com.rva.application.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

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

    /** The bytes of the precomputed rows added so far plus the live customer-days (one each): the merge's size. */
    long encodedBytes() {
        long bytes = live;
        for (byte[] data : blockData) {
            bytes += data == null ? 0 : data.length;
        }
        return bytes;
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

    /** Merges what came in the calling thread alone: {@link #finish(Executor, int)} without an executor. */
    CustomerDayMerge finish() {
        return finish(null, 1);
    }

    /**
     * Merges what came: after this, the figures can be read and nothing more can be added.
     * <p>
     * The customer-days are decoded once (pass A, {@link #decode}): each becomes an int, its id's distance to the
     * range's smallest id (the first id of each encoded row, so known before decoding), and each store-day's visits
     * and sightings are summed on the way. The slots are then those distances when the ids are dense enough, else an
     * open-addressing map's; the counting passes only walk that int array with bit sets.
     * <p>
     * With an executor and {@code parts > 1} both run in parts, with the same figures as one part gives (so
     * {@code CustomerDayMergeTest} compares them): pass A splits the store-days (each part decodes its own run of
     * store-days into its own stretch of the int array, the stretches are then closed up in order), the counting
     * passes split the <em>slots</em> (each part counts only the customers of its slot range, so the chain's, a day's
     * and a store's distinct customers are the sums of the parts' counts: no customer is in two parts). Part 0 runs
     * in the calling thread ({@link Parts}). Only the sparse slot map is filled by one thread (its slots are given in
     * the order the ids come).
     */
    CustomerDayMerge finish(Executor executor, int parts) {
        if (finished) {
            return this;
        }
        finished = true;
        int p = executor == null ? 1 : Math.max(1, Math.min(parts, blocks));
        if (perCustomer) {
            customersOnly(executor, p);
        } else {
            counts(executor, p);
        }
        blockData.clear();
        liveIds = null;
        return this;
    }

    /** Pass A: per customer-day its distance to the smallest id (and its figures, when asked); per store-day its sums. */
    private final class Decoded {
        final long min;
        final int[] blockStart = new int[blocks + 1];
        final long[] blockVisits = new long[blocks];
        final long[] blockSightings = new long[blocks];
        int[] slot;
        int[] visits; // with figures only
        int[] sightings;
        int n;
        long maxDistance = -1;
        boolean farApart; // ids 2^31 or more apart: distances do not fit an int (slot[] then holds nothing useful)

        Decoded(long min) {
            this.min = min;
        }
    }

    private Decoded decode(Executor executor, int parts, boolean figures) {
        Decoded d = new Decoded(smallestId(new Cursor()));
        // at most one customer-day per 3 bytes of a row (three varints) and one per live visit
        long[] bound = new long[blocks + 1];
        for (int b = 0; b < blocks; b++) {
            byte[] data = blockData.get(b);
            bound[b + 1] = bound[b] + (data == null ? blockLiveEnd[b] - blockLiveStart[b] : data.length / 3);
        }
        int capacity = Math.toIntExact(bound[blocks]);
        d.slot = new int[capacity];
        if (figures) {
            d.visits = new int[capacity];
            d.sightings = new int[capacity];
        }
        // the parts: runs of store-days with about the same bound each
        int[] firstBlock = new int[parts + 1];
        for (int q = 1; q < parts; q++) {
            long target = bound[blocks] * q / parts;
            int b = firstBlock[q - 1];
            while (b < blocks && bound[b] < target) {
                b++;
            }
            firstBlock[q] = b;
        }
        firstBlock[parts] = blocks;
        int[] end = new int[parts];
        long[] maxDistance = new long[parts];
        boolean[] farApart = new boolean[parts];
        Parts.run(executor, parts, q -> {
            Cursor c = new Cursor();
            int i = (int) bound[firstBlock[q]];
            long max = -1;
            boolean far = false;
            for (int b = firstBlock[q]; b < firstBlock[q + 1]; b++) {
                d.blockStart[b] = i;
                c.open(b);
                long v = 0;
                long s = 0;
                while (c.next()) {
                    long distance = c.id - d.min;
                    far |= distance > Integer.MAX_VALUE;
                    max = Math.max(max, distance);
                    d.slot[i] = (int) distance;
                    if (figures) {
                        d.visits[i] = c.visits;
                        d.sightings[i] = (int) c.sightings;
                    }
                    i++;
                    v += c.visits;
                    s += c.sightings;
                }
                d.blockVisits[b] = v;
                d.blockSightings[b] = s;
            }
            end[q] = i;
            maxDistance[q] = max;
            farApart[q] = far;
        });
        // close the gaps between the parts' stretches, in order
        int n = 0;
        for (int q = 0; q < parts; q++) {
            int start = (int) bound[firstBlock[q]];
            int count = end[q] - start;
            if (start != n) {
                System.arraycopy(d.slot, start, d.slot, n, count);
                if (figures) {
                    System.arraycopy(d.visits, start, d.visits, n, count);
                    System.arraycopy(d.sightings, start, d.sightings, n, count);
                }
                for (int b = firstBlock[q]; b < firstBlock[q + 1]; b++) {
                    d.blockStart[b] -= start - n;
                }
            }
            n += count;
            d.maxDistance = Math.max(d.maxDistance, maxDistance[q]);
            d.farApart |= farApart[q];
        }
        d.blockStart[blocks] = n;
        d.n = n;
        for (int b = 0; b < blocks; b++) {
            totalVisits += d.blockVisits[b];
            totalSightings += d.blockSightings[b];
        }
        return d;
    }

    /** The sparse slots of the decoded customer-days, given in the order they come; d.slot[i] becomes entry i's slot. */
    private void sparseSlots(Decoded d) {
        sparse = new IdSlots((int) Math.min(d.n, 1 << 26));
        if (d.farApart) {
            Cursor c = new Cursor();
            int i = 0;
            for (int b = 0; b < blocks; b++) {
                c.open(b);
                while (c.next()) {
                    d.slot[i++] = sparse.slot(c.id);
                }
            }
        } else {
            for (int i = 0; i < d.n; i++) {
                d.slot[i] = sparse.slot(d.min + d.slot[i]);
            }
        }
    }

    /**
     * Turns the decoded customer-days' distances into slots: the distances themselves when the ids are dense enough
     * (slot = id − smallest id), else an open-addressing map's slots. The number of slots.
     */
    private int slots(Decoded d) {
        long span = d.maxDistance + 1; // 0 when nothing was decoded
        if (!d.farApart && dense(span, d.n)) {
            base = d.min;
            return (int) span;
        }
        sparseSlots(d);
        return sparse.size();
    }

    /** The dashboard's merge: the distinct customers of the chain, per day and per store; visits and sightings. */
    private void counts(Executor executor, int parts) {
        Decoded d = decode(executor, parts, false);
        int n = d.n;
        int[] entrySlot = d.slot;
        int capacity = slots(d);
        int words = (capacity + 63) >>> 6;
        seen = new long[words];
        int[] bounds = slotBounds(entrySlot, n, words, parts);
        int[] dayOrder = byDay ? order(blockDay) : null;
        int[] storeOrder = byStore ? order(blockStore) : null;
        long[] chain = new long[parts];
        long[][] perDay = new long[parts][];
        long[][] perStore = new long[parts][];
        Parts.run(executor, parts, q -> {
            int lo = bounds[q];
            int hi = bounds[q + 1];
            long count = 0;
            for (int i = 0; i < n; i++) {
                int k = entrySlot[i];
                if (k >= lo && k < hi) {
                    long bit = 1L << k;
                    if ((seen[k >>> 6] & bit) == 0) {
                        seen[k >>> 6] |= bit; // parts own whole words of seen (bounds are multiples of 64)
                        count++;
                    }
                }
            }
            chain[q] = count;
            Group group = byDay || byStore ? new Group(words) : null;
            // the store-days in day order: the customers per day; in store order: per store
            if (byDay) {
                perDay[q] = countGroups(dayOrder, blockDay, d.blockStart, entrySlot, group, lo, hi);
            }
            if (byStore) {
                perStore[q] = countGroups(storeOrder, blockStore, d.blockStart, entrySlot, group, lo, hi);
            }
        });
        for (long c : chain) {
            customers += Math.toIntExact(c);
        }
        if (byDay) {
            addFigures(dayOrder, blockDay, d, perDay,
                    key -> days.computeIfAbsent(LocalDate.ofEpochDay(key), k -> new Figures()));
        }
        if (byStore) {
            addFigures(storeOrder, blockStore, d, perStore,
                    key -> stores.computeIfAbsent(storeIdsByIndex.get(key), k -> new Figures()));
        }
    }

    /**
     * The slot ranges of the parts, {@code bounds[q]} to {@code bounds[q + 1]}: multiples of 64 (each part owns whole
     * words of the bit sets), with about as many customer-days each (quantiles of a sample of the slots).
     */
    private static int[] slotBounds(int[] entrySlot, int n, int words, int parts) {
        int[] bounds = new int[parts + 1];
        bounds[parts] = (int) Math.min((long) words << 6, Integer.MAX_VALUE);
        if (parts > 1 && n > 0) {
            int samples = Math.min(n, 4096);
            int[] sample = new int[samples];
            for (int j = 0; j < samples; j++) {
                sample[j] = entrySlot[(int) ((long) j * n / samples)];
            }
            Arrays.sort(sample);
            for (int q = 1; q < parts; q++) {
                long word = Math.min(sample[samples * q / parts] >>> 6, words);
                bounds[q] = Math.max(bounds[q - 1], (int) Math.min(word << 6, bounds[parts]));
            }
        }
        return bounds;
    }

    /**
     * The customers page's merge (per-customer figures, no day or store counts) in parts: one decode (the parts
     * split the store-days) into an int per customer-day for its slot, visits and sightings, then the figures added up
     * into arrays of exactly the id span (≈ 20 MB at 2.5M ids), each part its range of slots. One part merges as
     * before ({@link #customersOnlySerial}), without the arrays per customer-day.
     */
    private void customersOnly(Executor executor, int parts) {
        if (parts == 1) {
            customersOnlySerial(new Cursor());
            return;
        }
        Decoded d = decode(executor, parts, true);
        int n = d.n;
        int capacity = slots(d);
        int words = (capacity + 63) >>> 6;
        seen = new long[words];
        slotVisits = new int[capacity];
        slotSightings = new int[capacity];
        int[] bounds = slotBounds(d.slot, n, words, parts);
        long[] count = new long[parts];
        Parts.run(executor, parts, q -> {
            int lo = bounds[q];
            int hi = bounds[q + 1];
            int[] slot = d.slot;
            long c = 0;
            for (int i = 0; i < n; i++) {
                int k = slot[i];
                if (k >= lo && k < hi) {
                    long bit = 1L << k;
                    if ((seen[k >>> 6] & bit) == 0) {
                        seen[k >>> 6] |= bit;
                        c++;
                    }
                    slotVisits[k] = Math.addExact(slotVisits[k], d.visits[i]);
                    slotSightings[k] = Math.addExact(slotSightings[k], d.sightings[i]);
                }
            }
            count[q] = c;
        });
        for (long c : count) {
            customers += Math.toIntExact(c);
        }
    }

    /**
     * {@link #customersOnly} in one thread, as before the parts: a decode for the id span and the number of
     * customer-days, then one into slot arrays of exactly that span; no array per customer-day. Measured at 20M
     * visits (admin's month, 1.6M customer-days): 180-200 ms of merge at the median, where one decode into arrays
     * grown as larger ids came took 440 ms and an int per customer-day with a second decode 265 ms.
     */
    private void customersOnlySerial(Cursor c) {
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
                long bit = 1L << k;
                if ((seen[k >>> 6] & bit) == 0) {
                    seen[k >>> 6] |= bit;
                    customers++;
                }
                slotVisits[k] = Math.addExact(slotVisits[k], c.visits);
                slotSightings[k] = Math.addExact(slotSightings[k], (int) c.sightings);
                totalVisits += c.visits;
                totalSightings += c.sightings;
            }
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

    /**
     * The distinct customers of each key (day or store) among the slots {@code lo} to {@code hi}: the blocks in key
     * order, their slots marked in a {@link Group}; one count per run of equal keys, in that order.
     */
    private static long[] countGroups(int[] order, int[] blockKey, int[] blockStart, int[] entrySlot, Group group,
            int lo, int hi) {
        long[] counts = new long[order.length]; // at most one run per block
        int g = -1;
        int key = 0;
        for (int b : order) {
            if (g < 0 || blockKey[b] != key) {
                group.clear();
                key = blockKey[b];
                g++;
            }
            long c = 0;
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                int k = entrySlot[i];
                if (k >= lo && k < hi && group.add(k)) {
                    c++;
                }
            }
            counts[g] += c;
        }
        group.clear();
        return counts;
    }

    /** Each key's figures: its blocks' visits and sightings, and the parts' counts of its run ({@link #countGroups}). */
    private static void addFigures(int[] order, int[] blockKey, Decoded d, long[][] counts,
            java.util.function.IntFunction<Figures> figures) {
        Figures f = null;
        int key = 0;
        int g = -1;
        for (int b : order) {
            if (f == null || blockKey[b] != key) {
                key = blockKey[b];
                f = figures.apply(key);
                g++;
                for (long[] c : counts) {
                    f.customers += c[g];
                }
            }
            f.visits += d.blockVisits[b];
            f.sightings += d.blockSightings[b];
        }
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
