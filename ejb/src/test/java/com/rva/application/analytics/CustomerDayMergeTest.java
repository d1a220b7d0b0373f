package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

/** {@link CustomerDayMerge} against a plain recount with maps and sets, for dense and sparse ids. */
class CustomerDayMergeTest {

    private record Day(long store, LocalDate day, long customer, int visits, long sightings) {
    }

    @Test
    void denseIdsEqualARecount() {
        check(random(1, 5_000, 40_000, 17), true);
    }

    @Test
    void sparseIdsEqualARecount() {
        check(random(1_000_000_000L, 50_000_000_000L, 20_000, 5), false);
    }

    @Test
    void idsTooFarApartForDenseSlotsEqualARecount() {
        // sparse slots, though every id's distance to the smallest fits an int (the other sparse case: it does not)
        check(random(1, 1_000_000_000L, 20_000, 9), false);
    }

    @Test
    void liveVisitsRepeatACustomerInAStoreDay() {
        // the live path gives one customer-day per visit: the same customer twice in one block
        List<Day> days = List.of(new Day(1, LocalDate.of(2026, 10, 1), 7, 1, 3), new Day(1, LocalDate.of(2026, 10, 1), 7, 1, 2),
                new Day(2, LocalDate.of(2026, 10, 1), 7, 1, 1), new Day(1, LocalDate.of(2026, 10, 2), 9, 2, 4));
        CustomerDayMerge m = check(days, true);
        assertEquals(2, m.customers());
        assertEquals(5, m.visits());
        assertEquals(1, m.days().get(LocalDate.of(2026, 10, 1)).customers);
        assertEquals(3, m.days().get(LocalDate.of(2026, 10, 1)).visits);
        assertEquals(2, m.stores().get(1L).customers);
        assertTrue(m.contains(7));
        assertFalse(m.contains(8));
        assertFalse(m.contains(-1));
    }

    @Test
    void emptyAndBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new CustomerDayMerge(true, false, true), "no page asks for both");
        CustomerDayMerge m = new CustomerDayMerge(false, false, true).finish();
        assertEquals(0, m.customers());
        assertEquals(0, m.entries().length());
        assertEquals(0, CustomerDayMerge.pagePositions(m.entries(), CustomerVisitsSort.VISITS, false, 0, 25).length);
        CustomerDayMerge bad = new CustomerDayMerge(false, false, true);
        assertThrows(IllegalStateException.class, () -> bad.accept(1, 1, 1), "no store-day named");
        bad.storeDay(1, LocalDate.of(2026, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> bad.accept(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> bad.accept(5, 0, 1));
        // a truncated precomputed row is refused, not misread
        java.util.SortedMap<Long, long[]> set = new TreeMap<>(Map.of(300L, new long[] {2, 1}));
        byte[] data = CustomerDayCodec.encode(set);
        CustomerDayMerge cut = new CustomerDayMerge(false, false, true);
        cut.row(1, LocalDate.of(2026, 1, 1), Arrays.copyOf(data, data.length - 1));
        assertThrows(IllegalArgumentException.class, cut::finish);
    }

    @Test
    void pagesBySightingsBeyondTheCountedRangeAreSorted() {
        List<Day> days = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            days.add(new Day(1, LocalDate.of(2026, 10, 1), i, 1, i % 3 == 0 ? 5_000_000L + i : i % 7));
        }
        check(days, true);
    }

    /** Every other store-day as a precomputed row (encoded), the rest live (one customer-day at a time). */
    private static CustomerDayMerge feed(List<Day> days, CustomerDayMerge m) {
        // every other store-day as a precomputed row (encoded), the rest live (one customer-day at a time)
        Map<String, java.util.SortedMap<Long, long[]>> rows = new java.util.LinkedHashMap<>();
        for (Day d : days) {
            String key = d.store + "/" + d.day;
            if (rows.containsKey(key) || !rows.containsKey(key) && (d.store + d.day.getDayOfMonth()) % 2 == 0
                    && !liveKeys(days, d)) {
                rows.computeIfAbsent(key, k -> new TreeMap<>()).put(d.customer, new long[] {d.visits, d.sightings});
            } else {
                m.storeDay(d.store, d.day);
                m.accept(d.customer, d.visits, d.sightings);
            }
        }
        rows.forEach((key, set) -> {
            String[] parts = key.split("/");
            m.row(Long.parseLong(parts[0]), LocalDate.parse(parts[1]), CustomerDayCodec.encode(set));
        });
        return m;
    }

    /** A store-day with a customer twice (live visits) cannot be a precomputed row. */
    private static boolean liveKeys(List<Day> days, Day d) {
        return days.stream().filter(x -> x.store == d.store && x.day.equals(d.day) && x.customer == d.customer).count() > 1;
    }

    private static List<Day> random(long firstId, long span, int n, int seed) {
        Random r = new Random(seed);
        List<Day> days = new ArrayList<>();
        LocalDate d0 = LocalDate.of(2026, 10, 1);
        for (int store = 1; store <= 30; store++) {
            for (int d = 0; d < 20; d++) {
                // a store-day's set: distinct ids, ascending (as the codec gives them)
                TreeMap<Long, int[]> set = new TreeMap<>();
                int k = n / 600;
                while (set.size() < k) {
                    // a skewed pick, so some customers come back often
                    long id = firstId + (long) (Math.pow(r.nextDouble(), 3) * span);
                    set.put(id, new int[] {1 + r.nextInt(3), r.nextInt(20)});
                }
                for (Map.Entry<Long, int[]> e : set.entrySet()) {
                    days.add(new Day(store * 11L, d0.plusDays(d), e.getKey(), e.getValue()[0], e.getValue()[1]));
                }
            }
        }
        return days;
    }

    private static CustomerDayMerge check(List<Day> days, boolean expectDense) {
        // the customers page's merge (per customer) and the dashboard's (counts by day and store, bit sets only)
        CustomerDayMerge m = feed(days, new CustomerDayMerge(false, false, true)).finish();
        CustomerDayMerge counts = feed(days, new CustomerDayMerge(true, true, false)).finish();
        assertEquals(m.customers(), counts.customers());
        assertEquals(m.visits(), counts.visits());
        assertEquals(m.sightings(), counts.sightings());
        days.forEach(d -> assertTrue(counts.contains(d.customer)));
        days.forEach(d -> assertTrue(m.contains(d.customer)));
        assertThrows(IllegalStateException.class, counts::entries);
        // the recount
        Map<Long, long[]> customers = new TreeMap<>();
        Map<LocalDate, Set<Long>> dayCustomers = new HashMap<>();
        Map<Long, Set<Long>> storeCustomers = new HashMap<>();
        Map<LocalDate, Long> dayVisits = new HashMap<>();
        Map<Long, Long> storeSightings = new HashMap<>();
        long visits = 0;
        long sightings = 0;
        for (Day d : days) {
            long[] f = customers.computeIfAbsent(d.customer, k -> new long[2]);
            f[0] += d.visits;
            f[1] += d.sightings;
            visits += d.visits;
            sightings += d.sightings;
            dayCustomers.computeIfAbsent(d.day, k -> new HashSet<>()).add(d.customer);
            storeCustomers.computeIfAbsent(d.store, k -> new HashSet<>()).add(d.customer);
            dayVisits.merge(d.day, (long) d.visits, Long::sum);
            storeSightings.merge(d.store, d.sightings, Long::sum);
        }
        assertEquals(customers.size(), m.customers());
        assertEquals(visits, m.visits());
        assertEquals(sightings, m.sightings());
        assertEquals(dayCustomers.keySet(), counts.days().keySet());
        dayCustomers.forEach((d, set) -> {
            assertEquals(set.size(), counts.days().get(d).customers, "customers on " + d);
            assertEquals(dayVisits.get(d), counts.days().get(d).visits, "visits on " + d);
        });
        assertEquals(storeCustomers.keySet(), counts.stores().keySet());
        storeCustomers.forEach((s, set) -> {
            assertEquals(set.size(), counts.stores().get(s).customers, "customers of " + s);
            assertEquals(storeSightings.get(s), counts.stores().get(s).sightings, "sightings of " + s);
        });
        CustomerDayMerge.Entries e = m.entries();
        List<Long> present = new ArrayList<>();
        for (int k = 0; k < e.length(); k++) {
            if (e.present(k)) {
                present.add(e.key(k));
                assertEquals(customers.get(e.key(k))[0], e.visits()[k]);
                assertEquals(customers.get(e.key(k))[1], e.sightings()[k]);
            }
        }
        assertEquals(new ArrayList<>(customers.keySet()), present, "ids ascending");
        // every page of every sort equals a full sort
        for (CustomerVisitsSort sort : List.of(CustomerVisitsSort.VISITS, CustomerVisitsSort.SIGHTINGS,
                CustomerVisitsSort.CUSTOMER_ID)) {
            for (boolean asc : new boolean[] {true, false}) {
                List<Long> expected = new ArrayList<>(customers.keySet());
                Comparator<Long> byFigure = Comparator.comparingLong(id -> sort == CustomerVisitsSort.VISITS
                        ? customers.get(id)[0] : sort == CustomerVisitsSort.SIGHTINGS ? customers.get(id)[1] : id);
                expected.sort((asc ? byFigure : byFigure.reversed()).thenComparing(Comparator.naturalOrder()));
                for (int first : new int[] {0, 3, 25, expected.size() - 2, expected.size() + 5}) {
                    if (first < 0) {
                        continue;
                    }
                    int[] pos = CustomerDayMerge.pagePositions(e, sort, asc, first, 25);
                    List<Long> got = new ArrayList<>();
                    for (int p : pos) {
                        got.add(e.key(p));
                    }
                    assertEquals(expected.subList(Math.min(first, expected.size()), Math.min(expected.size(), first + 25)),
                            got, sort + " " + asc + " from " + first);
                }
            }
        }
        assertEquals(expectDense, m.isDense(), "dense slots");
        assertEquals(expectDense, counts.isDense(), "dense slots of the counts");
        // in parts on a pool (and on a pool that refuses: the calling thread runs every part), the same figures
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int parts : new int[] {2, 3, 7}) {
                sameFigures(m, feed(days, new CustomerDayMerge(false, false, true)).finish(pool, parts), parts);
                sameFigures(counts, feed(days, new CustomerDayMerge(true, true, false)).finish(pool, parts), parts);
            }
        } finally {
            pool.shutdownNow();
        }
        Executor refusing = r -> {
            throw new RejectedExecutionException("busy");
        };
        sameFigures(m, feed(days, new CustomerDayMerge(false, false, true)).finish(refusing, 2), 2);
        sameFigures(counts, feed(days, new CustomerDayMerge(true, true, false)).finish(refusing, 2), 2);
        return counts;
    }

    /** A merge in parts gives exactly the serial merge's figures. */
    private static void sameFigures(CustomerDayMerge serial, CustomerDayMerge parallel, int parts) {
        String in = " in " + parts + " parts";
        assertEquals(serial.customers(), parallel.customers(), "customers" + in);
        assertEquals(serial.visits(), parallel.visits(), "visits" + in);
        assertEquals(serial.sightings(), parallel.sightings(), "sightings" + in);
        assertEquals(serial.isDense(), parallel.isDense(), "dense" + in);
        assertEquals(figures(serial.days()), figures(parallel.days()), "days" + in);
        assertEquals(figures(serial.stores()), figures(parallel.stores()), "stores" + in);
        boolean perCustomer;
        try {
            serial.entries();
            perCustomer = true;
        } catch (IllegalStateException e) {
            perCustomer = false;
        }
        if (perCustomer) {
            CustomerDayMerge.Entries a = serial.entries();
            CustomerDayMerge.Entries b = parallel.entries();
            assertEquals(a.length(), b.length(), "entries" + in);
            for (int i = 0; i < a.length(); i++) {
                assertEquals(a.key(i), b.key(i), "id at " + i + in);
                assertEquals(a.visits()[i], b.visits()[i], "visits at " + i + in);
                assertEquals(a.sightings()[i], b.sightings()[i], "sightings at " + i + in);
            }
        }
    }

    private static <K> Map<K, List<Long>> figures(Map<K, CustomerDayMerge.Figures> figures) {
        Map<K, List<Long>> out = new HashMap<>();
        figures.forEach((k, f) -> out.put(k, List.of(f.visits, f.sightings, f.customers)));
        return out;
    }

    @Test
    void aFailingPartIsThrownToTheCaller() {
        CustomerDayMerge m = new CustomerDayMerge(true, true, false);
        byte[] data = CustomerDayCodec.encode(new TreeMap<>(Map.of(300L, new long[] {2, 1}, 900L, new long[] {1, 1})));
        for (int store = 1; store <= 4; store++) {
            m.row(store, LocalDate.of(2026, 1, 1), store == 3 ? Arrays.copyOf(data, data.length - 1) : data);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertThrows(IllegalArgumentException.class, () -> m.finish(pool, 2));
        } finally {
            pool.shutdownNow();
        }
    }
}
