package com.rva.interfaces.batch;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.aggregates.ConsolidationAggregates;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;
import com.rva.recognition.Consolidation;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The identity-consolidation step: plan the merges over all customers' templates, then apply them one by one
 * (each in its own transaction, with its audit row) and recount the aggregates they touch. A merge that fails
 * (say, a customer erased meanwhile) is logged and skipped; the others go on. Stops between merges when asked.
 */
@Named("identityConsolidationBatchlet")
@Dependent
public class IdentityConsolidationBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(IdentityConsolidationBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    @EJB
    IdentityConsolidationService consolidation;

    @EJB
    ConsolidationAggregates aggregates;

    private volatile boolean stopRequested;

    @Override
    public String process() {
        List<Consolidation.Merge> plan = consolidation.plan();
        int merged = 0;
        int failed = 0;
        int days = 0;
        for (Consolidation.Merge m : plan) {
            if (stopRequested) {
                LOG.info(() -> "identity-consolidation stopped on request");
                break;
            }
            try {
                MergeResult result = consolidation.merge(m.survivor(), m.absorbed(), m.similarity(), m.threshold(),
                        jobContext.getExecutionId());
                days += aggregates.recount(result);
                merged++;
            } catch (RuntimeException e) {
                failed++;
                LOG.log(Level.WARNING, "identity-consolidation: merging customer " + m.absorbed() + " into "
                        + m.survivor() + " failed; skipped", e);
            }
        }
        String status = "MERGED=" + merged + " FAILED=" + failed + " PLANNED=" + plan.size() + " AGGREGATE_DAYS=" + days;
        LOG.info(() -> "identity-consolidation execution " + jobContext.getExecutionId() + ": " + status);
        // the job's exit status too, so the job list shows what a run did
        jobContext.setExitStatus(status);
        return status;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }
}
