package com.rva.interfaces.batch;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreRef;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Reads the stores of one partition, each with its days to do: the stale past days (a late crop arrived after
 * they were aggregated) and the run's days. One item per store, in id order; its checkpoint is the last store
 * read, so a restart goes on with the stores after it (those before were committed with their chunk).
 */
@Named("dailyAggregatesStoreDayReader")
@Dependent
public class StoreDayReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger(StoreDayReader.class.getName());

    @Inject
    StepContext stepContext;

    @Inject
    @BatchProperty(name = "storeIds")
    String storeIds;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.DAY)
    String day;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.FROM)
    String from;

    @Inject
    @BatchProperty(name = DailyAggregatesParameters.STALE_LOOKBACK_DAYS)
    String staleLookbackDays;

    @Inject
    JpaDailyAggregateRepository repository;

    private Iterator<StoreDays> remaining;
    private String last;

    @Override
    public void open(Serializable checkpoint) {
        LocalDate runDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        LocalDate firstDay = DailyAggregatesParameters.from(from, runDay);
        List<StoreRef> stores = repository.storesById(parseIds(storeIds));
        int lookback = DailyAggregatesParameters.staleLookbackDays(staleLookbackDays);
        LocalDateTime checkedAt = LocalDateTime.now(ZoneOffset.UTC);
        LocalDateTime checkedFrom = checkedAt.minusDays(lookback);
        Map<Long, SortedSet<LocalDate>> stale = repository.staleDays(stores, firstDay, checkedFrom);
        List<StoreDays> all = items(stores, firstDay, runDay, stale);
        last = (String) checkpoint;
        List<StoreDays> todo = remainingAfter(all, last);
        int storeDays = todo.stream().mapToInt(i -> i.days().size()).sum();
        stepContext.setTransientUserData(new Progress(storeDays, checkedFrom, checkedAt, runDay));
        long staleCount = stale.values().stream().mapToLong(SortedSet::size).sum();
        LOG.info(() -> "daily-aggregates partition of " + stores.size() + " store(s): day(s) "
                + (firstDay.equals(runDay) ? "" : firstDay + " .. ") + runDay + " plus "
                + staleCount + " stale day(s) " + stale + (checkpoint == null ? "" : ", resuming after " + checkpoint)
                + ": " + storeDays + " store-day(s) of " + todo.size() + " store(s) to do");
        remaining = todo.iterator();
    }

    @Override
    public Object readItem() {
        if (!remaining.hasNext()) {
            return null;
        }
        StoreDays item = remaining.next();
        last = item.key();
        return item;
    }

    @Override
    public Serializable checkpointInfo() {
        return last;
    }

    /** Each store with its stale days before the run day and the run day; stores in id order. */
    static List<StoreDays> items(List<StoreRef> storesById, LocalDate runDay, Map<Long, SortedSet<LocalDate>> stale) {
        return items(storesById, runDay, runDay, stale);
    }

    /** Each store with its stale days before the range and the days of the range; stores in id order. */
    static List<StoreDays> items(List<StoreRef> storesById, LocalDate firstDay, LocalDate runDay,
            Map<Long, SortedSet<LocalDate>> stale) {
        return StoreDays.plan(storesById, firstDay, runDay, stale);
    }

    /** The items after the checkpointed one; all of them without a checkpoint. */
    static List<StoreDays> remainingAfter(List<StoreDays> items, String lastDone) {
        if (lastDone == null) {
            return items;
        }
        return items.stream().filter(i -> i.isAfter(lastDone)).toList();
    }

    static List<Long> parseIds(String ids) {
        if (ids == null || ids.isBlank()) {
            return List.of();
        }
        return Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
    }

    /** How far one partition is, for the log. */
    static final class Progress {
        final int total;
        int done;
        /** The late crops received from {@code checkedFrom} to {@code checkedAt} were looked for (UTC). */
        final LocalDateTime checkedFrom;
        final LocalDateTime checkedAt;

        /** The run's last day: only a run up to yesterday has checked every day before today. */
        final LocalDate runDay;

        Progress(int total, LocalDateTime checkedFrom, LocalDateTime checkedAt, LocalDate runDay) {
            this.total = total;
            this.checkedFrom = checkedFrom;
            this.checkedAt = checkedAt;
            this.runDay = runDay;
        }
    }
}
