package com.rva.application.consolidation;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What a merge (or its undo) changed.
 *
 * @param mergeId      the audit row ({@code customer_merge})
 * @param survivorId   the customer that kept the sightings
 * @param absorbedId   the customer merged into it
 * @param sightings    sightings moved
 * @param templates    templates moved
 * @param storeSpans   per store, the UTC capture times the moved sightings span (their visits were rebuilt;
 *                     aggregates of those days must follow)
 */
public record MergeResult(long mergeId, long survivorId, long absorbedId, int sightings, int templates,
        List<StoreSpan> storeSpans) {

    /** Moved sightings of one store between two UTC capture times. */
    public record StoreSpan(long storeId, LocalDateTime fromUtc, LocalDateTime toUtc) {
    }
}
