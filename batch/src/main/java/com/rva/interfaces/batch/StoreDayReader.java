package com.rva.interfaces.batch;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.StoreDay;
import com.rva.application.aggregates.StoreRef;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Reads the store-days of one partition: for each of its stores (in id order) the stale past days (a
 * late crop arrived after they were aggregated) and then the run's day. Its checkpoint is the last
 * store-day read, so a restart goes on with the store-days after it (those before were committed with
 * their chunk).
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

    private Iterator<StoreDay> remaining;
    private String last;

    @Override
    public void open(Serializable checkpoint) {
        LocalDate runDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        LocalDate firstDay = DailyAggregatesParameters.from(from, runDay);
        List<StoreRef> stores = repository.storesById(parseIds(storeIds));
        int lookback = DailyAggregatesParameters.staleLookbackDays(staleLookbackDays);
        Map<Long, SortedSet<LocalDate>> stale = repository.staleDays(stores, firstDay,
                LocalDateTime.now(ZoneOffset.UTC).minusDays(lookback));
        List<StoreDay> all = items(stores, firstDay, runDay, stale);
        last = (String) checkpoint;
        List<StoreDay> todo = remainingAfter(all, last);
        stepContext.setTransientUserData(new Progress(todo.size()));
        long staleCount = stale.values().stream().mapToLong(SortedSet::size).sum();
        LOG.info(() -> "daily-aggregates partition of " + stores.size() + " store(s): day(s) "
                + (firstDay.equals(runDay) ? "" : firstDay + " .. ") + runDay + " plus "
                + staleCount + " stale day(s) " + stale + (checkpoint == null ? "" : ", resuming after " + checkpoint)
                + ": " + todo.size() + " store-day(s) to do");
        remaining = todo.iterator();
    }

    @Override
    public Object readItem() {
        if (!remaining.hasNext()) {
            return null;
        }
        StoreDay item = remaining.next();
        last = item.key();
        return item;
    }

    @Override
    public Serializable checkpointInfo() {
        return last;
    }

    /** Each store's stale days before the run day, then its run day; stores in id order. */
    static List<StoreDay> items(List<StoreRef> storesById, LocalDate runDay, Map<Long, SortedSet<LocalDate>> stale) {
        return items(storesById, runDay, runDay, stale);
    }

    /** Each store's stale days before the range, then the days of the range; stores in id order. */
    static List<StoreDay> items(List<StoreRef> storesById, LocalDate firstDay, LocalDate runDay,
            Map<Long, SortedSet<LocalDate>> stale) {
        List<StoreDay> items = new ArrayList<>();
        for (StoreRef store : storesById) {
            for (LocalDate d : stale.getOrDefault(store.id(), Collections.emptySortedSet())) {
                if (d.isBefore(firstDay)) {
                    items.add(new StoreDay(store, d));
                }
            }
            for (LocalDate d = firstDay; !d.isAfter(runDay); d = d.plusDays(1)) {
                items.add(new StoreDay(store, d));
            }
        }
        items.sort(null);
        return items;
    }

    /** The items after the checkpointed one; all of them without a checkpoint. */
    static List<StoreDay> remainingAfter(List<StoreDay> items, String lastDone) {
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

        Progress(int total) {
            this.total = total;
        }
    }
}
