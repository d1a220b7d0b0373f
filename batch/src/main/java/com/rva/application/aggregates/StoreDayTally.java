package com.rva.application.aggregates;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one store's local day: visits that started in it, the distinct customers of those
 * visits, the sightings captured in it, and the visits per customer.
 */
public record StoreDayTally(StoreRef store, LocalDayWindow window, int visits, int uniqueCustomers, int sightings,
        Map<Long, Integer> visitsByCustomer) {

    public StoreDayTally {
        visitsByCustomer = Collections.unmodifiableMap(new TreeMap<>(visitsByCustomer));
    }

    /** Folds the visit count per customer and the sighting count into the store's figures. */
    public static StoreDayTally of(StoreRef store, LocalDayWindow window, Map<Long, Long> visitsPerCustomer,
            long sightings) {
        Map<Long, Integer> byCustomer = new TreeMap<>();
        long visits = 0;
        for (Map.Entry<Long, Long> e : visitsPerCustomer.entrySet()) {
            if (e.getValue() <= 0) {
                throw new IllegalArgumentException("Customer " + e.getKey() + " has " + e.getValue() + " visits");
            }
            byCustomer.put(e.getKey(), Math.toIntExact(e.getValue()));
            visits += e.getValue();
        }
        return new StoreDayTally(store, window, Math.toIntExact(visits), byCustomer.size(),
                Math.toIntExact(sightings), byCustomer);
    }
}
