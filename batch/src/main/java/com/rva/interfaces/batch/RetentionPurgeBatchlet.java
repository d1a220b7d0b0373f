package com.rva.interfaces.batch;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.infrastructure.retention.RetentionStore;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Carries out pending erasure requests, then deletes sightings, visits and templates past their retention
 * (settings retention.*-days), in batches of {@code batchSize} rows each committed on its own, and writes
 * one audit row with the counts. Aggregates are anonymous counts and stay.
 */
@Named("retentionPurgeBatchlet")
@Dependent
public class RetentionPurgeBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(RetentionPurgeBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty(name = "batchSize")
    String batchSize;

    @EJB
    RetentionStore store;

    @EJB
    SettingsService settings;

    private volatile boolean stopRequested;

    @Override
    public String process() {
        long execution = jobContext.getExecutionId();
        LocalDateTime started = LocalDateTime.now(ZoneOffset.UTC);
        int batch = batchSize == null || batchSize.isBlank() ? 5000 : Integer.parseInt(batchSize.strip());
        LocalDateTime sightingsBefore = started.minusDays(settings.getInt(Setting.RETENTION_SIGHTINGS_DAYS));
        LocalDateTime visitsBefore = started.minusDays(settings.getInt(Setting.RETENTION_VISITS_DAYS));
        LocalDateTime templatesBefore = started.minusDays(settings.getInt(Setting.RETENTION_TEMPLATES_DAYS));

        long erasedCustomers = 0;
        long sightings = 0;
        long visits = 0;
        long templates = 0;
        List<Long> requests = store.pendingErasures();
        for (long request : requests) {
            RetentionStore.Erased e = store.erase(request, execution);
            erasedCustomers++;
            sightings += e.sightings();
            visits += e.visits();
            templates += e.templates();
            LOG.info(() -> "retention-purge: erasure request " + request + " done: " + e);
        }
        sightings += drain("sightings captured before " + sightingsBefore, () -> store.deleteSightings(sightingsBefore, batch));
        visits += drain("visits ended before " + visitsBefore, () -> store.deleteVisits(visitsBefore, batch));
        templates += drain("templates of customers unseen since " + templatesBefore,
                () -> store.deleteTemplates(templatesBefore, batch));
        store.audit(execution, started, sightingsBefore, visitsBefore, templatesBefore, sightings, visits, templates,
                erasedCustomers);
        String summary = "SIGHTINGS=" + sightings + " VISITS=" + visits + " TEMPLATES=" + templates + " ERASED="
                + erasedCustomers + (stopRequested ? " STOPPED" : "");
        LOG.info(() -> "retention-purge execution " + execution + ": " + summary);
        jobContext.setExitStatus(summary); // the job's, for the execution history
        return summary;
    }

    private long drain(String what, IntSupplier deleteBatch) {
        long total = 0;
        int n;
        do {
            if (stopRequested) {
                return total;
            }
            n = deleteBatch.getAsInt();
            total += n;
            if (n > 0) {
                long sum = total;
                LOG.info(() -> "retention-purge progress: " + sum + " " + what + " deleted");
            }
        } while (n > 0);
        return total;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }
}
