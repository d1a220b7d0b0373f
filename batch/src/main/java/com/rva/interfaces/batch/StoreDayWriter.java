package com.rva.interfaces.batch;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreDays;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Replaces the store-days of the chunk's stores and then re-sums the appearances to date of those stores,
 * all in the chunk's transaction; logs the partition's progress. On PostgreSQL the whole chunk is a handful
 * of set-based statements ({@code StoreDaysSql}), whatever its number of stores and days.
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
        Set<Long> stores = new LinkedHashSet<>(); // of the stores tallied in Java
        List<StoreDays> setBased = new ArrayList<>();
        List<StoreDays> all = new ArrayList<>();
        int storeDays = 0;
        for (Object item : items) {
            if (item instanceof StoreDays sd) {
                setBased.add(sd);
                all.add(sd);
                storeDays += sd.days().size();
                continue;
            }
            StoreDayProcessor.Tallies t = (StoreDayProcessor.Tallies) item;
            for (StoreDayTally tally : t.tallies()) {
                repository.replace(tally, now);
                LOG.fine(() -> "daily-aggregates " + tally.window().day() + " " + tally.store() + " [UTC "
                        + tally.window().fromUtc() + " .. " + tally.window().toUtc() + "): " + tally);
            }
            stores.add(t.storeDays().store().id());
            all.add(t.storeDays());
            storeDays += t.tallies().size();
        }
        if (!stores.isEmpty()) {
            repository.refreshCustomerTotals(stores);
        }
        if (!setBased.isEmpty()) {
            repository.writeChunk(setBased, now);
            LOG.fine(() -> "daily-aggregates (set-based): " + setBased);
        }
        // the portal's per-UTC-day figures of the same stores, in the same transaction (PortalDaysSql)
        repository.refreshPortalDays(all, now);
        if (stepContext.getTransientUserData() instanceof StoreDayReader.Progress progress) {
            // the late-crop watermark moves only for a run up to the store's yesterday: it looked for late crops of
            // every day before its first and recomputed the rest, whereas a re-run of an older day leaves later days
            // unchecked (the portal then goes on checking those rows against their own computed_at)
            repository.advancePortalWatermarks(all.stream()
                    .filter(sd -> !progress.runDay.isBefore(LocalDate.now(sd.store().zone()).minusDays(1)))
                    .map(sd -> sd.store().id()).toList(), progress.checkedFrom, progress.checkedAt);
            progress.done += storeDays;
            Object lastItem = items.get(items.size() - 1);
            LOG.info(() -> "daily-aggregates progress: " + progress.done + " of " + progress.total
                    + " store-day(s) of this partition written (last: " + describe(lastItem) + ")");
        }
    }

    private static String describe(Object item) {
        if (item instanceof StoreDayProcessor.Tallies t) {
            return t.storeDays().toString();
        }
        return String.valueOf(item);
    }
}
