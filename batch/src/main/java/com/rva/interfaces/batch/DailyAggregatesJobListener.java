package com.rva.interfaces.batch;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.StoreRef;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository.DayTotals;
import com.rva.infrastructure.persistence.MonthlyPartitions;

import jakarta.annotation.Resource;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.JobListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Resolves the job parameters of {@code daily-aggregates} before it runs and logs the summary after. */
@Named("dailyAggregatesJobListener")
@Dependent
public class DailyAggregatesJobListener implements JobListener {

    private static final Logger LOG = Logger.getLogger(DailyAggregatesJobListener.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.DAY)
    String day;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.STORES)
    String stores;

    @Inject
    JpaDailyAggregateRepository repository;

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource dataSource;

    private long startedNanos;

    @Override
    public void beforeJob() {
        startedNanos = System.nanoTime();
        try {
            MonthlyPartitions.ensureAhead(dataSource, Clock.systemUTC(), "daily-aggregates " + jobContext.getExecutionId());
        } catch (RuntimeException e) {
            // the aggregates do not depend on it (rows of a month without partition go to the default one)
            LOG.log(Level.SEVERE, "daily-aggregates " + jobContext.getExecutionId() + ": " + e.getMessage(), e);
        }
        LocalDate localDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        List<StoreRef> selected = repository.stores(DailyAggregatesParameters.storeCodes(stores));
        jobContext.setTransientUserData(new DailyAggregatesRun(localDay, selected));
        LOG.info(() -> "daily-aggregates execution " + jobContext.getExecutionId() + ": store-local day " + localDay
                + " for " + selected.size() + " store(s) " + selected);
    }

    @Override
    public void afterJob() {
        if (!(jobContext.getTransientUserData() instanceof DailyAggregatesRun run)) {
            return; // beforeJob failed; the job's failure says why
        }
        DayTotals totals = repository.totals(run.day(), run.storeIds());
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        LOG.info(() -> "daily-aggregates execution " + jobContext.getExecutionId() + " " + jobContext.getBatchStatus()
                + ": day " + run.day() + ", " + totals.stores() + " of " + run.stores().size() + " store(s) aggregated: "
                + totals.visits() + " visits, " + totals.customers() + " distinct customers, " + totals.sightings()
                + " sightings (" + millis + " ms)");
    }
}
