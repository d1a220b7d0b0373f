package com.rva.application.analytics;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** One visit: who, where, from when to when (UTC, and in the store's own time zone), how many sightings. */
public record VisitRow(long visitId, long customerId, String storeCode, String timeZone, LocalDateTime startedUtc,
        LocalDateTime endedUtc, long sightings) implements Serializable {

    /** The start in the store's time zone with its offset, e.g. {@code 2024-11-26T11:05+01:00}. */
    public OffsetDateTime startedLocal() {
        return startedUtc.atOffset(ZoneOffset.UTC).atZoneSameInstant(ZoneId.of(timeZone)).toOffsetDateTime();
    }

    public OffsetDateTime endedLocal() {
        return endedUtc.atOffset(ZoneOffset.UTC).atZoneSameInstant(ZoneId.of(timeZone)).toOffsetDateTime();
    }

    public long dwellSeconds() {
        return Duration.between(startedUtc, endedUtc).toSeconds();
    }
}
