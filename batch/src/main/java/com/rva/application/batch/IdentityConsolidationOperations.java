package com.rva.application.batch;

import com.rva.application.aggregates.ConsolidationAggregates;
import com.rva.application.audit.AuditService;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;
import com.rva.domain.CustomerMerge;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;

/**
 * Admin operations on identity consolidation that need the aggregates too (the batch module owns them):
 * undoing a merge recounts the days its sightings touch, in the same transaction, and is audited. The customers
 * of an undone merge are never merged again by the nightly job.
 */
@Stateless
public class IdentityConsolidationOperations {

    /** The job (META-INF/batch-jobs/identity-consolidation.xml); scheduled by a row of job_schedule (02:00). */
    public static final String JOB_NAME = "identity-consolidation";

    /** There is no merge of that id. */
    @ApplicationException(rollback = true)
    public static class UnknownMergeException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnknownMergeException(String message) {
            super(message);
        }
    }

    /** The merge cannot be undone (now): undone already, or a later merge moved its sightings on. */
    @ApplicationException(rollback = true)
    public static class MergeNotUndoableException extends Exception {
        private static final long serialVersionUID = 1L;

        public MergeNotUndoableException(String message) {
            super(message);
        }
    }

    @EJB
    IdentityConsolidationService consolidation;

    @EJB
    ConsolidationAggregates aggregates;

    @EJB
    AuditService audit;

    /**
     * Undoes a merge: its sightings and templates go back to the absorbed customer, the visits of both and the
     * aggregates of the days concerned are rebuilt, and the audit log says who undid it.
     *
     * @throws UnknownMergeException     when there is no such merge
     * @throws MergeNotUndoableException when it was undone already, or a later merge must be undone first
     */
    public MergeResult undo(long mergeId) throws UnknownMergeException, MergeNotUndoableException {
        CustomerMerge merge = consolidation.findMerge(mergeId)
                .orElseThrow(() -> new UnknownMergeException("No customer merge " + mergeId));
        if (merge.getUndoneAt() != null) {
            throw new MergeNotUndoableException("Customer merge " + mergeId + " was undone already, at "
                    + merge.getUndoneAt() + " UTC");
        }
        MergeResult result;
        try {
            result = consolidation.undo(mergeId);
        } catch (EJBException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
                throw new MergeNotUndoableException(cause.getMessage());
            }
            throw e;
        }
        aggregates.recount(result);
        audit.record(AuditService.MERGE_UNDO, String.format("customer merge %d undone: customer %d split from %d again"
                + " (%d sightings, %d templates back)", mergeId, result.absorbedId(), result.survivorId(),
                result.sightings(), result.templates()));
        return result;
    }
}
