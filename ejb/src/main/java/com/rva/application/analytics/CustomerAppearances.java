package com.rva.application.analytics;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** One entry of the seed's aggregate JSON: a customer's visits per store code; the total is their sum. */
public record CustomerAppearances(long customerId, SortedMap<String, Long> visitsByStore) {

    public CustomerAppearances {
        visitsByStore = Collections.unmodifiableSortedMap(new TreeMap<>(visitsByStore));
    }

    public long totalAppearances() {
        return visitsByStore.values().stream().mapToLong(Long::longValue).sum();
    }
}
