package com.rva.application.aggregates;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The store-local days of one store that a run of {@code daily-aggregates} recomputes: the unit of work
 * (one item of the job's chunks, which go by store id). A nightly run has one day per store; a backfill or
 * late crops add more.
 */
public record StoreDays(StoreRef store, SortedSet<LocalDate> days) implements Comparable<StoreDays> {

    public StoreDays {
        Objects.requireNonNull(store, "store");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("no days for " + store);
        }
        days = Collections.unmodifiableSortedSet(new TreeSet<>(days));
    }

    /**
     * The items of a run of the job: each store (in id order) with its stale days before {@code firstDay} and the
     * days {@code firstDay} .. {@code lastDay}.
     */
    public static List<StoreDays> plan(List<StoreRef> storesById, LocalDate firstDay, LocalDate lastDay,
            Map<Long, SortedSet<LocalDate>> stale) {
        List<StoreDays> items = new ArrayList<>();
        for (StoreRef store : storesById) {
            SortedSet<LocalDate> days = new TreeSet<>();
            for (LocalDate d : stale.getOrDefault(store.id(), Collections.emptySortedSet())) {
                if (d.isBefore(firstDay)) {
                    days.add(d);
                }
            }
            for (LocalDate d = firstDay; !d.isAfter(lastDay); d = d.plusDays(1)) {
                days.add(d);
            }
            items.add(new StoreDays(store, days));
        }
        items.sort(null);
        return items;
    }

    /**
     * How the job's partition mapper deals stores to partitions: store number i (in id order) to partition i mod n,
     * over at most {@code n} non-empty partitions; one empty partition when there are no stores.
     */
    public static List<List<Long>> partition(List<Long> storeIds, int n) {
        int count = Math.max(1, Math.min(n, storeIds.size()));
        List<List<Long>> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < storeIds.size(); i++) {
            parts.get(i % count).add(storeIds.get(i));
        }
        return parts;
    }

    /** The checkpoint form: the store id. */
    public String key() {
        return String.valueOf(store.id());
    }

    /**
     * Whether this item comes after the one whose {@link #key()} is given. A key {@code storeId/day} (a
     * checkpoint written when items were single store-days) means that store was under way: it is done again
     * in full, which gives the same rows.
     */
    public boolean isAfter(String key) {
        int slash = key.indexOf('/');
        if (slash >= 0) {
            return store.id() >= Long.parseLong(key.substring(0, slash));
        }
        return store.id() > Long.parseLong(key);
    }

    /** The days as runs of consecutive days, in order: each is computed by one piece of set-based SQL. */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        LocalDate first = null;
        LocalDate last = null;
        for (LocalDate d : days) {
            if (last != null && !last.plusDays(1).equals(d)) {
                runs.add(new Run(store, first, last));
                first = null;
            }
            if (first == null) {
                first = d;
            }
            last = d;
        }
        runs.add(new Run(store, first, last));
        return runs;
    }

    @Override
    public int compareTo(StoreDays o) {
        return Long.compare(store.id(), o.store.id());
    }

    @Override
    public String toString() {
        return store.code() + " " + (days.size() == 1 ? days.first().toString()
                : days.first() + " .. " + days.last() + " (" + days.size() + " days)");
    }

    /** Consecutive store-local days {@code first} .. {@code last} of one store. */
    public record Run(StoreRef store, LocalDate first, LocalDate last) {

        public Run {
            Objects.requireNonNull(store, "store");
            if (first.isAfter(last)) {
                throw new IllegalArgumentException(first + " is after " + last);
            }
        }

        /** The UTC window from the start of the first day to the end of the last, in the store's zone. */
        public LocalDayWindow firstWindow() {
            return LocalDayWindow.of(first, store.zone());
        }

        public LocalDayWindow lastWindow() {
            return LocalDayWindow.of(last, store.zone());
        }
    }
}
