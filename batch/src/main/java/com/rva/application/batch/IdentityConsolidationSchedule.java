package com.rva.application.batch;

import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timer;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * Runs identity-consolidation every night at 02:00 server time, before daily-aggregates (02:30), so that
 * yesterday's figures count merged customers once. Persistent timer: one node of a cluster runs it.
 */
@Singleton
public class IdentityConsolidationSchedule {

    public static final String JOB_NAME = "identity-consolidation";

    private static final Logger LOG = Logger.getLogger(IdentityConsolidationSchedule.class.getName());

    @EJB
    BatchJobService jobs;

    @Schedule(hour = "2", minute = "0", persistent = true, info = "identity-consolidation nightly")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void nightly(Timer timer) {
        try {
            long id = jobs.start(JOB_NAME, new Properties());
            LOG.info(() -> "Nightly identity-consolidation started as execution " + id);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Nightly identity-consolidation could not start", e);
        }
    }
}
