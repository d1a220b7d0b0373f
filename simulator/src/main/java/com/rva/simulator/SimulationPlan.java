package com.rva.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The ground truth of a simulated run: which customer stays in which store from when to when, over several
 * days. Customers have a home store and come back on other days; some visit a second store the same day, some
 * come back to the same store later that day (always more than the visit gap after they left, so it is a second
 * visit by the product's own definition), some stand still in front of the camera for minutes. Now and then a
 * group ({@code _group} photo) passes close to a camera, each group once and never within the visit gap of a stay at
 * that store. At most {@link StoreDayPlan#MAX_PRESENT} customers are
 * in front of one camera at a time and nobody is in two places at once.
 *
 * <p>Stores are open {@code openHours} from {@value #OPENING_HOUR}:00 UTC on each day.
 */
public final class SimulationPlan {

    static final int OPENING_HOUR = 8;
    static final Duration MIN_STAY = Duration.ofMinutes(3);
    static final Duration MAX_STAY = Duration.ofMinutes(20);
    static final double P_VISIT_A_DAY = 0.65;
    static final double P_SECOND_STOP = 0.45;
    static final double P_STANDS_STILL = 0.25;
    static final double P_GROUP_A_STORE_DAY = 0.3;

    /**
     * One customer's stay in one store: a true visit. {@code stillFrom}/{@code stillTo} is a stretch in which the
     * customer stands still in front of the camera (null when they don't).
     */
    public record Stay(String customer, String storeId, Instant start, Instant end, Instant stillFrom, Instant stillTo) {
        public boolean covers(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }

        public boolean stillAt(Instant t) {
            return stillFrom != null && !t.isBefore(stillFrom) && t.isBefore(stillTo);
        }
    }

    /** A group photo passing a store's camera for {@code frames} consecutive frames from {@code at}. */
    public record GroupPass(String photo, String storeId, Instant at, int frames) {
    }

    private final LocalDate firstDay;
    private final int days;
    private final int openHours;
    private final List<Stay> stays;
    private final List<GroupPass> groups;

    private SimulationPlan(LocalDate firstDay, int days, int openHours, List<Stay> stays, List<GroupPass> groups) {
        this.firstDay = firstDay;
        this.days = days;
        this.openHours = openHours;
        this.stays = List.copyOf(stays);
        this.groups = List.copyOf(groups);
    }

    /**
     * @param customers   identity names
     * @param stores      store ids
     * @param firstDay    the first simulated day (UTC)
     * @param days        how many days
     * @param openHours   opening hours per day, from {@value #OPENING_HOUR}:00 UTC (1..15)
     * @param visitGap    the product's visit gap: a return to the same store comes later than this
     * @param groupPhotos names of group photos; each passes one camera once
     */
    public static SimulationPlan generate(List<String> customers, List<String> stores, LocalDate firstDay, int days,
            int openHours, Duration visitGap, List<String> groupPhotos, long seed) {
        if (customers.isEmpty() || stores.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs customers and stores");
        }
        if (days < 1 || openHours < 1 || openHours > 15) {
            throw new IllegalArgumentException("days must be ≥ 1 and opening hours 1..15");
        }
        Random random = new Random(seed);
        // Now and then a group passes close to a camera: each group photo at most once, on some store-days. Nobody
        // labelled the people in a group photo, so the truth counts each face as a stranger's visit; but a face may
        // be a cast member (_group photos show labelled people too), whom the product rightly puts into the same
        // visit as that person's stay in the same store within the visit gap. So no stay at that store comes within
        // the visit gap of a pass: then the visit count is right whoever is in the photo.
        List<GroupPass> groups = new ArrayList<>();
        List<String> unused = new ArrayList<>(groupPhotos);
        for (int d = 0; d < days; d++) {
            for (String store : stores) {
                if (unused.isEmpty() || random.nextDouble() >= P_GROUP_A_STORE_DAY) {
                    continue;
                }
                String photo = unused.remove(random.nextInt(unused.size()));
                Instant at = firstDay.plusDays(d).atTime(OPENING_HOUR, 0).toInstant(ZoneOffset.UTC)
                        .plusSeconds(random.nextInt(Math.max(1, openHours * 3600 - 600)));
                groups.add(new GroupPass(photo, store, at, 1 + random.nextInt(2)));
            }
        }
        List<Stay> stays = new ArrayList<>();
        Map<String, String> home = new TreeMap<>();
        for (String c : customers) {
            home.put(c, stores.get(random.nextInt(stores.size())));
        }
        for (int d = 0; d < days; d++) {
            Instant open = firstDay.plusDays(d).atTime(OPENING_HOUR, 0).toInstant(ZoneOffset.UTC);
            Instant close = open.plus(Duration.ofHours(openHours));
            for (String customer : customers) {
                if (random.nextDouble() >= P_VISIT_A_DAY) {
                    continue;
                }
                String first = random.nextDouble() < 0.75 ? home.get(customer) : stores.get(random.nextInt(stores.size()));
                Stay a = place(stays, groups, visitGap, customer, first, open, close.minus(MAX_STAY), close, random);
                if (a == null || random.nextDouble() >= P_SECOND_STOP) {
                    continue;
                }
                Instant from;
                String second;
                if (stores.size() > 1 && random.nextBoolean()) {
                    // another store of the chain, after the time it takes to get there
                    second = stores.get((stores.indexOf(first) + 1 + random.nextInt(stores.size() - 1)) % stores.size());
                    from = a.end().plus(Duration.ofMinutes(15 + random.nextInt(60)));
                } else {
                    // back to the same store: later than the visit gap, so the product must count a second visit
                    second = first;
                    from = a.end().plus(visitGap).plus(Duration.ofMinutes(30 + random.nextInt(90)));
                }
                place(stays, groups, visitGap, customer, second, from, from.plus(Duration.ofMinutes(30)), close, random);
            }
        }
        stays.sort(Comparator.comparing(Stay::start).thenComparing(Stay::customer));
        return new SimulationPlan(firstDay, days, openHours, stays, groups);
    }

    /** A stay starting in {@code [from, latestStart]} and ending before {@code close}, where the store has room. */
    private static Stay place(List<Stay> stays, List<GroupPass> groups, Duration visitGap, String customer,
            String store, Instant from, Instant latestStart, Instant close, Random random) {
        for (int attempt = 0; attempt < 30; attempt++) {
            long staySeconds = MIN_STAY.toSeconds()
                    + random.nextInt((int) (MAX_STAY.toSeconds() - MIN_STAY.toSeconds() + 1));
            long window = Duration.between(from, latestStart).toSeconds();
            if (window < 0) {
                return null;
            }
            Instant start = from.plusSeconds(window == 0 ? 0 : random.nextInt((int) Math.min(Integer.MAX_VALUE, window)));
            Instant stillFrom = null;
            Instant stillTo = null;
            if (random.nextDouble() < P_STANDS_STILL) {
                long stillSeconds = 120 + random.nextInt(241); // 2..6 minutes without moving
                staySeconds = Math.max(staySeconds, stillSeconds + 120);
                stillFrom = start.plusSeconds(60);
                stillTo = stillFrom.plusSeconds(stillSeconds);
            }
            Instant end = start.plusSeconds(staySeconds);
            if (end.isAfter(close)) {
                continue;
            }
            Stay s = new Stay(customer, store, start, end, stillFrom, stillTo);
            if (fits(stays, s) && clearOfGroups(groups, visitGap, s)) {
                stays.add(s);
                return s;
            }
        }
        return null;
    }

    /** The latest a group pass can still be in front of the camera (two frames at the slowest interval). */
    static final Duration GROUP_PASS_SPAN = Duration.ofMinutes(2);

    /** True when the stay keeps more than the visit gap away from every group pass at its store. */
    static boolean clearOfGroups(List<GroupPass> groups, Duration visitGap, Stay s) {
        for (GroupPass g : groups) {
            if (g.storeId().equals(s.storeId()) && g.at().minus(visitGap).isBefore(s.end())
                    && s.start().isBefore(g.at().plus(GROUP_PASS_SPAN).plus(visitGap))) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(List<Stay> stays, Stay s) {
        int present = 0;
        for (Stay o : stays) {
            boolean overlaps = o.start().isBefore(s.end()) && s.start().isBefore(o.end());
            if (!overlaps) {
                continue;
            }
            if (o.customer().equals(s.customer())) {
                return false;
            }
            if (o.storeId().equals(s.storeId())) {
                present++;
            }
        }
        // conservative: any overlapping stay counts, so never more than MAX_PRESENT at once
        return present < StoreDayPlan.MAX_PRESENT;
    }

    public List<Stay> stays() {
        return stays;
    }

    public List<GroupPass> groups() {
        return groups;
    }

    public LocalDate firstDay() {
        return firstDay;
    }

    public LocalDate lastDay() {
        return firstDay.plusDays(days - 1L);
    }

    public int days() {
        return days;
    }

    /** When the store opens on day {@code d} (0-based). */
    public Instant opening(int d) {
        return firstDay.plusDays(d).atTime(OPENING_HOUR, 0).toInstant(ZoneOffset.UTC);
    }

    /** When the store closes on day {@code d}. */
    public Instant closing(int d) {
        return opening(d).plus(Duration.ofHours(openHours));
    }

    /** True visits per customer and store. */
    public Map<String, Map<String, Integer>> visitsByCustomerAndStore() {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        for (Stay s : stays) {
            m.computeIfAbsent(s.customer(), k -> new TreeMap<>()).merge(s.storeId(), 1, Integer::sum);
        }
        return m;
    }

    /** The stays in progress at a store at {@code t}, in order of arrival. */
    public List<Stay> present(String storeId, Instant t) {
        List<Stay> here = new ArrayList<>();
        for (Stay s : stays) {
            if (s.storeId().equals(storeId) && s.covers(t)) {
                here.add(s);
            }
        }
        return here;
    }
}
