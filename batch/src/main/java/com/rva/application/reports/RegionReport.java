package com.rva.application.reports;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One region's report for one store-local day, with small groups already suppressed: a store whose day
 * had fewer than k distinct customers shows no figures at all, and new/returning are shown only when both
 * groups have at least k customers (one of them could otherwise be derived from the other and the total).
 * The total covers the stores shown only, so no suppressed figure can be recovered from it.
 */
public record RegionReport(String regionCode, String regionName, LocalDate day, int k, List<Line> lines,
        Totals totals) {

    public RegionReport {
        Objects.requireNonNull(regionCode, "regionCode");
        Objects.requireNonNull(day, "day");
        lines = List.copyOf(lines);
    }

    /** The figures of one store's day as the job aggregated them (null when the day was not aggregated). */
    public record StoreFigures(String storeCode, String storeName, Integer visits, Integer uniqueCustomers,
            Integer newCustomers, Integer returningCustomers, Double avgDwellSeconds, Double medianDwellSeconds,
            Integer busiestHour) {

        public boolean aggregated() {
            return visits != null;
        }
    }

    /** One line of the report: figures are null where suppressed or missing; {@code note} says which. */
    public record Line(String storeCode, String storeName, Integer visits, Integer uniqueCustomers,
            Integer newCustomers, Integer returningCustomers, Double avgDwellMinutes, Double medianDwellMinutes,
            Integer busiestHour, String note) {
    }

    /** Sums over the stores shown; {@code customers} counts each customer once across those stores. */
    public record Totals(int storesShown, int storesSuppressed, int storesMissing, int visits, int customers) {
    }

    public static final String SUPPRESSED = "fewer than k customers";
    public static final String NOT_AGGREGATED = "not aggregated yet";

    /**
     * Builds the report from the stores' figures.
     *
     * @param distinctCustomersOfShownStores distinct customers over the stores that end up shown (called with
     *        their codes; the caller counts them in the database)
     */
    public static RegionReport of(String regionCode, String regionName, LocalDate day, int k,
            List<StoreFigures> stores, java.util.function.ToIntFunction<List<String>> distinctCustomersOfShownStores) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, not " + k);
        }
        List<Line> lines = new java.util.ArrayList<>();
        List<String> shown = new java.util.ArrayList<>();
        int suppressed = 0;
        int missing = 0;
        int visits = 0;
        for (StoreFigures s : stores) {
            if (!s.aggregated()) {
                missing++;
                lines.add(new Line(s.storeCode(), s.storeName(), null, null, null, null, null, null, null, NOT_AGGREGATED));
            } else if (s.uniqueCustomers() < k) {
                suppressed++;
                lines.add(new Line(s.storeCode(), s.storeName(), null, null, null, null, null, null, null, SUPPRESSED));
            } else {
                boolean split = s.newCustomers() >= k && s.returningCustomers() >= k;
                shown.add(s.storeCode());
                visits += s.visits();
                lines.add(new Line(s.storeCode(), s.storeName(), s.visits(), s.uniqueCustomers(),
                        split ? s.newCustomers() : null, split ? s.returningCustomers() : null,
                        minutes(s.avgDwellSeconds()), minutes(s.medianDwellSeconds()), s.busiestHour(),
                        split ? null : "new/returning: a group has fewer than k customers"));
            }
        }
        int customers = shown.isEmpty() ? 0 : distinctCustomersOfShownStores.applyAsInt(shown);
        return new RegionReport(regionCode, regionName, day, k, lines,
                new Totals(shown.size(), suppressed, missing, visits, customers));
    }

    private static Double minutes(Double seconds) {
        return seconds == null ? null : seconds / 60.0;
    }
}
