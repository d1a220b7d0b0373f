package com.rva.interfaces.batch;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import com.rva.application.aggregates.StoreDay;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Replaces each store-day's rows and then re-sums the appearances to date of the stores touched, all in
 * the chunk's transaction; logs the partition's progress.
 */
@Named("dailyAggregatesWriter")
@Dependent
public class StoreDayWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger(StoreDayWriter.class.getName());

    @Inject
    StepContext stepContext;

    @Inject
    JpaDailyAggregateRepository repository;

    @Override
    public void writeItems(List<Object> items) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        Set<Long> stores = new LinkedHashSet<>();
        StoreDay runStart = null;
        StoreDay runEnd = null;
        for (Object item : items) {
            if (item instanceof StoreDay storeDay) {
                // consecutive days of one store go to the database as one run
                if (runEnd != null && (runEnd.store().id() != storeDay.store().id()
                        || !runEnd.day().plusDays(1).equals(storeDay.day()))) {
                    replaceRun(runStart, runEnd, now);
                    runStart = null;
                }
                if (runStart == null) {
                    runStart = storeDay;
                }
                runEnd = storeDay;
                stores.add(storeDay.store().id());
                continue;
            }
            StoreDayTally tally = (StoreDayTally) item;
            repository.replace(tally, now);
            stores.add(tally.store().id());
            LOG.fine(() -> "daily-aggregates " + tally.window().day() + " " + tally.store() + " [UTC "
                    + tally.window().fromUtc() + " .. " + tally.window().toUtc() + "): " + tally);
        }
        if (runStart != null) {
            replaceRun(runStart, runEnd, now);
        }
        stores.forEach(repository::refreshCustomerTotals);
        if (stepContext.getTransientUserData() instanceof StoreDayReader.Progress progress) {
            progress.done += items.size();
            LOG.info(() -> "daily-aggregates progress: " + progress.done + " of " + progress.total
                    + " store-day(s) of this partition written (last: " + describe(items.get(items.size() - 1)) + ")");
        }
    }

    private void replaceRun(StoreDay first, StoreDay last, LocalDateTime now) {
        repository.replaceDays(first.store(), first.day(), last.day(), now);
        LOG.fine(() -> "daily-aggregates " + first.store() + " " + first.day() + " .. " + last.day() + " (set-based)");
    }

    private static String describe(Object item) {
        if (item instanceof StoreDayTally t) {
            return t.store() + " " + t.window().day();
        }
        return String.valueOf(item);
    }
}
