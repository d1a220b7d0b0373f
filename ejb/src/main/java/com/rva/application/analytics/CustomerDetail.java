package com.rva.application.analytics;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One customer as far as the caller may see it (only visits to stores in its scope count): first and last seen
 * (UTC), visits and sightings, visits per store code, and when it was enrolled.
 */
public record CustomerDetail(long customerId, LocalDateTime enrolledUtc, long visits, long sightings,
        LocalDateTime firstSeenUtc, LocalDateTime lastSeenUtc, SortedMap<String, Long> visitsByStore)
        implements Serializable {

    public CustomerDetail {
        visitsByStore = Collections.unmodifiableSortedMap(new TreeMap<>(visitsByStore));
    }
}
