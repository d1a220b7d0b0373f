package com.rva.interfaces.batch;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.aggregates.StoreDayTally;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Replaces each store's rows for the day, in the chunk's transaction. */
@Named("dailyAggregatesWriter")
@Dependent
public class StoreDayWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger(StoreDayWriter.class.getName());

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public void writeItems(List<Object> items) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        for (Object item : items) {
            StoreDayTally tally = (StoreDayTally) item;
            repository.replace(tally, now);
            LOG.info(() -> "daily-aggregates " + tally.window().day() + " " + tally.store() + " [UTC "
                    + tally.window().fromUtc() + " .. " + tally.window().toUtc() + "): " + tally.visits()
                    + " visits, " + tally.uniqueCustomers() + " customers, " + tally.sightings() + " sightings");
        }
    }
}
