package com.rva.application.aggregates;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of one store's local day: visits that started in it, the distinct customers of those
 * visits (new to the store that day, or returning to it), dwell of those visits, the local hour in which
 * most of them started, the sightings captured in the day, and the visits per customer.
 */
public record StoreDayTally(StoreRef store, LocalDayWindow window, int visits, int uniqueCustomers, int sightings,
        int newCustomers, int returningCustomers, Double avgDwellSeconds, Double medianDwellSeconds,
        Integer busiestHour, Map<Long, Integer> visitsByCustomer) {

    public StoreDayTally {
        visitsByCustomer = Collections.unmodifiableMap(new TreeMap<>(visitsByCustomer));
        if (newCustomers + returningCustomers != uniqueCustomers) {
            throw new IllegalArgumentException("new " + newCustomers + " + returning " + returningCustomers
                    + " != unique " + uniqueCustomers);
        }
    }

    /**
     * Folds the day's visits into the store's figures.
     *
     * @param visitsOfDay visits that started in the window
     * @param seenBefore customers of those visits who had visited this store before the window began
     * @param sightings sightings captured in the window
     */
    public static StoreDayTally of(StoreRef store, LocalDayWindow window, Collection<VisitSpan> visitsOfDay,
            Set<Long> seenBefore, long sightings) {
        Map<Long, Integer> byCustomer = new TreeMap<>();
        int[] starts = new int[24];
        double[] dwell = new double[visitsOfDay.size()];
        double dwellSum = 0;
        int i = 0;
        for (VisitSpan v : visitsOfDay) {
            if (!window.contains(v.startedAtUtc())) {
                throw new IllegalArgumentException("Visit " + v + " did not start in " + window);
            }
            byCustomer.merge(v.customerId(), 1, Integer::sum);
            starts[v.startedAtUtc().toInstant(ZoneOffset.UTC).atZone(window.zone()).getHour()]++;
            dwell[i++] = v.dwellSeconds();
            dwellSum += v.dwellSeconds();
        }
        int returning = (int) byCustomer.keySet().stream().filter(seenBefore::contains).count();
        Double avg = dwell.length == 0 ? null : dwellSum / dwell.length;
        return new StoreDayTally(store, window, dwell.length, byCustomer.size(), Math.toIntExact(sightings),
                byCustomer.size() - returning, returning, avg, median(dwell), busiestHour(starts), byCustomer);
    }

    /** The middle value; the mean of the two middle values for an even count (as SQL's PERCENTILE_CONT(0.5)). */
    static Double median(double[] values) {
        if (values.length == 0) {
            return null;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static Integer busiestHour(int[] starts) {
        Integer best = null;
        for (int h = 0; h < starts.length; h++) {
            if (starts[h] > 0 && (best == null || starts[h] > starts[best])) {
                best = h;
            }
        }
        return best;
    }
}
