package com.rva.application.analytics;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One customer's activity in a {@link VisitQuery}: its visits (what {@code total_appearances} counts), the
 * sightings of those visits, when the first of them started and the last of them ended (UTC), and the visits
 * per store code.
 */
public record CustomerVisits(long customerId, long visits, long sightings, LocalDateTime firstSeenUtc,
        LocalDateTime lastSeenUtc, SortedMap<String, Long> visitsByStore) implements Serializable {

    public CustomerVisits {
        visitsByStore = Collections.unmodifiableSortedMap(new TreeMap<>(visitsByStore));
    }

    /** The per-store breakdown as shown in the portal, e.g. {@code store_001: 2, store_002: 1}. */
    public String storeBreakdown() {
        return visitsByStore.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
