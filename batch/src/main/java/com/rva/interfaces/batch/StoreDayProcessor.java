package com.rva.interfaces.batch;

import java.time.Instant;
import java.util.logging.Logger;

import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreRef;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Counts one store's local day: visits that started in it, their customers, sightings captured in it. */
@Named("dailyAggregatesProcessor")
@Dependent
public class StoreDayProcessor implements ItemProcessor {

    private static final Logger LOG = Logger.getLogger(StoreDayProcessor.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public Object processItem(Object item) {
        StoreRef store = (StoreRef) item;
        LocalDayWindow window = LocalDayWindow.of(DailyAggregatesRun.of(jobContext).day(), store.zone());
        if (!window.isCompleteAt(Instant.now())) {
            LOG.warning(() -> "daily-aggregates: the day " + window.day() + " of " + store
                    + " is not over yet; its figures are partial until the day is run again");
        }
        return StoreDayTally.of(store, window, repository.visitsPerCustomer(store.id(), window),
                repository.sightings(store.id(), window));
    }
}
