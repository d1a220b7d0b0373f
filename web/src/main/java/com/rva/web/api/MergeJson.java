package com.rva.web.api;

import java.time.LocalDateTime;

import com.rva.domain.CustomerMerge;

/**
 * One identity-consolidation merge as the API and the admin page show it: customer {@code absorbedId} became
 * part of {@code survivorId}; {@code undoneUtc} is set once an admin undid it. Times are UTC.
 */
public record MergeJson(long mergeId, long survivorId, long absorbedId, double similarity, double mergeThreshold,
        LocalDateTime mergedUtc, Long jobExecutionId, LocalDateTime undoneUtc) {

    public static MergeJson of(CustomerMerge m) {
        return new MergeJson(m.getId(), m.getSurvivorId(), m.getAbsorbedId(), m.getSimilarity(), m.getMergeThreshold(),
                m.getMergedAt(), m.getJobExecutionId(), m.getUndoneAt());
    }
}
