package com.rva.interfaces.batch;

import java.time.Instant;
import java.util.logging.Logger;

import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDay;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Counts one store's local day: visits that started in it, their customers (new to the store or
 * returning), dwell and busiest hour, and the sightings captured in it. On PostgreSQL it passes the store-day
 * on, and the writer computes the chunk's store-days in the database (set-based SQL per store and run of days).
 */
@Named("dailyAggregatesProcessor")
@Dependent
public class StoreDayProcessor implements ItemProcessor {

    private static final Logger LOG = Logger.getLogger(StoreDayProcessor.class.getName());

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public Object processItem(Object item) {
        StoreDay storeDay = (StoreDay) item;
        LocalDayWindow window = LocalDayWindow.of(storeDay.day(), storeDay.store().zone());
        if (!window.isCompleteAt(Instant.now())) {
            LOG.warning(() -> "daily-aggregates: the day " + window.day() + " of " + storeDay.store()
                    + " is not over yet; its figures are partial until the day is run again");
        }
        // on PostgreSQL the writer computes the chunk's store-days with set-based SQL
        return repository.setBased() ? storeDay : repository.tally(storeDay.store(), window);
    }
}
