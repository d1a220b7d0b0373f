package com.rva.application.aggregates;

import java.time.Duration;
import java.time.LocalDateTime;

/** One visit as the job counts it: whose, and from its first to its last sighting (UTC). */
public record VisitSpan(long customerId, LocalDateTime startedAtUtc, LocalDateTime endedAtUtc) {

    /** Dwell in seconds (millisecond precision). */
    public double dwellSeconds() {
        return Duration.between(startedAtUtc, endedAtUtc).toMillis() / 1000.0;
    }
}
