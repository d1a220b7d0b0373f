package com.rva.web.api;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;

import com.rva.application.analytics.VisitRow;

/** A visit as the API writes it: UTC times, and the same instants in the store's time zone with their offset. */
public record VisitJson(long visitId, long customerId, String store, LocalDateTime startedUtc,
        LocalDateTime endedUtc, OffsetDateTime startedLocal, OffsetDateTime endedLocal, long dwellSeconds,
        long sightings) {

    static VisitJson of(VisitRow v) {
        return new VisitJson(v.visitId(), v.customerId(), v.storeCode(), v.startedUtc(), v.endedUtc(),
                v.startedLocal(), v.endedLocal(), v.dwellSeconds(), v.sightings());
    }
}
