package com.rva.interfaces.batch;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreDays;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Counts one store's local days: visits that started in each, their customers (new to the store or
 * returning), dwell and busiest hour, and the sightings captured in it. On PostgreSQL it passes the store's
 * days on, and the writer computes all the chunk's store-days in the database (set-based SQL for all its
 * stores at once); elsewhere it returns one {@link StoreDayTally} per day.
 */
@Named("dailyAggregatesProcessor")
@Dependent
public class StoreDayProcessor implements ItemProcessor {

    private static final Logger LOG = Logger.getLogger(StoreDayProcessor.class.getName());

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public Object processItem(Object item) {
        StoreDays storeDays = (StoreDays) item;
        LocalDayWindow last = LocalDayWindow.of(storeDays.days().last(), storeDays.store().zone());
        if (!last.isCompleteAt(Instant.now())) {
            LOG.warning(() -> "daily-aggregates: the day " + last.day() + " of " + storeDays.store()
                    + " is not over yet; its figures are partial until the day is run again");
        }
        if (repository.setBased()) {
            return storeDays;
        }
        List<StoreDayTally> tallies = new ArrayList<>();
        for (LocalDate day : storeDays.days()) {
            tallies.add(repository.tally(storeDays.store(), LocalDayWindow.of(day, storeDays.store().zone())));
        }
        return new Tallies(storeDays, tallies);
    }

    /** A store's days counted in Java (H2, Oracle). */
    record Tallies(StoreDays storeDays, List<StoreDayTally> tallies) {
    }
}
