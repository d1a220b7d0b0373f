package com.rva.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Who is in which store at each tick of one simulated day. Some customers visit two stores, some come
 * back to the same store later, the rest come once; at most {@link #MAX_PRESENT} people are in front of a
 * store's camera at once, and nobody is in two places at the same time.
 */
public final class StoreDayPlan {

    public static final int MAX_PRESENT = 3;
    static final int MIN_STAY = 3;
    static final int MAX_STAY = 8;

    /** One stay of one customer in one store, ticks {@code [start, end)}. */
    public record Visit(String customer, String storeId, int start, int end) {
        public boolean covers(int tick) {
            return tick >= start && tick < end;
        }
    }

    private final int ticks;
    private final List<Visit> visits;

    private StoreDayPlan(int ticks, List<Visit> visits) {
        this.ticks = ticks;
        this.visits = List.copyOf(visits);
    }

    /**
     * @param customers identity names
     * @param stores    store ids
     * @param ticks     length of the day in frames per store (at least 2 × {@value #MAX_STAY} + 4)
     */
    public static StoreDayPlan generate(List<String> customers, List<String> stores, int ticks, long seed) {
        if (ticks < 2 * MAX_STAY + 4) {
            throw new IllegalArgumentException("a day needs at least " + (2 * MAX_STAY + 4) + " ticks: " + ticks);
        }
        Random random = new Random(seed);
        List<String> order = new ArrayList<>(customers);
        Collections.shuffle(order, random);
        List<Visit> visits = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String customer = order.get(i);
            String first = stores.get(random.nextInt(stores.size()));
            int role = i % 3;
            // the first customer opens the day, so a demo shows faces at once
            int firstLatestEnd = i == 0 ? MAX_STAY + 2 : ticks;
            if (role == 0 && stores.size() > 1) {
                // visits two stores: the second later in the day
                String second = stores.get((stores.indexOf(first) + 1 + random.nextInt(stores.size() - 1)) % stores.size());
                placeTwo(visits, customer, first, second, Math.min(firstLatestEnd, ticks / 2 - 2), ticks, random);
            } else if (role == 1) {
                // comes back to the same store after a long gap: two visits, not one
                placeTwo(visits, customer, first, first, Math.min(firstLatestEnd, ticks / 2 - 2), ticks, random);
            } else {
                place(visits, customer, first, 0, firstLatestEnd, random);
            }
        }
        visits.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start())
                : a.customer().compareTo(b.customer()));
        return new StoreDayPlan(ticks, visits);
    }

    private static void placeTwo(List<Visit> visits, String customer, String first, String second, int firstLatestEnd,
            int ticks, Random random) {
        int half = ticks / 2;
        Visit a = place(visits, customer, first, 0, firstLatestEnd, random);
        if (a != null) {
            place(visits, customer, second, Math.max(a.end() + ticks / 4, half), ticks, random);
        } else {
            place(visits, customer, second, half, ticks, random);
        }
    }

    /** Places a visit starting in {@code [from, to - stay]} where the store has room; null if none found. */
    private static Visit place(List<Visit> visits, String customer, String store, int from, int to, Random random) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int stay = MIN_STAY + random.nextInt(MAX_STAY - MIN_STAY + 1);
            int latestStart = to - stay;
            if (latestStart < from) {
                return null;
            }
            int start = from + random.nextInt(latestStart - from + 1);
            Visit v = new Visit(customer, store, start, start + stay);
            if (fits(visits, v)) {
                visits.add(v);
                return v;
            }
        }
        return null;
    }

    private static boolean fits(List<Visit> visits, Visit v) {
        for (int t = v.start(); t < v.end(); t++) {
            int present = 0;
            for (Visit o : visits) {
                if (o.covers(t)) {
                    if (o.customer().equals(v.customer())) {
                        return false;
                    }
                    if (o.storeId().equals(v.storeId())) {
                        present++;
                    }
                }
            }
            if (present >= MAX_PRESENT) {
                return false;
            }
        }
        return true;
    }

    public int ticks() {
        return ticks;
    }

    public List<Visit> visits() {
        return visits;
    }

    /** The visits in progress at a store at a tick, in order of arrival. */
    public List<Visit> present(String storeId, int tick) {
        List<Visit> here = new ArrayList<>();
        for (Visit v : visits) {
            if (v.storeId().equals(storeId) && v.covers(tick)) {
                here.add(v);
            }
        }
        return here;
    }
}
