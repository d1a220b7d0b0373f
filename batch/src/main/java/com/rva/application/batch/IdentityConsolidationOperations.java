package com.rva.application.batch;

import com.rva.application.aggregates.ConsolidationAggregates;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;

/**
 * Admin operations on identity consolidation that need the aggregates too (the batch module owns them):
 * undoing a merge recounts the days its sightings touch, in the same transaction. The customers of an undone
 * merge are never merged again by the nightly job.
 */
@Stateless
public class IdentityConsolidationOperations {

    /** The job (META-INF/batch-jobs/identity-consolidation.xml); scheduled by a row of job_schedule (02:00). */
    public static final String JOB_NAME = "identity-consolidation";

    @EJB
    IdentityConsolidationService consolidation;

    @EJB
    ConsolidationAggregates aggregates;

    /**
     * @throws IllegalArgumentException when there is no such merge
     * @throws IllegalStateException when it was undone already, or a later merge must be undone first
     */
    public MergeResult undo(long mergeId) {
        MergeResult result = consolidation.undo(mergeId);
        aggregates.recount(result);
        return result;
    }
}
