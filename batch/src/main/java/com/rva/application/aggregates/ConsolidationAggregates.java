package com.rva.application.aggregates;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import com.rva.application.consolidation.MergeResult;
import com.rva.application.settings.SettingsService;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

/**
 * After a merge (or its undo) the daily aggregates follow: every finished store-local day the moved sightings'
 * visits can start on is recounted exactly as the daily-aggregates job counts it. Days not over yet are left
 * to that job.
 */
@Stateless
public class ConsolidationAggregates {

    private static final Logger LOG = Logger.getLogger(ConsolidationAggregates.class.getName());

    @Inject
    JpaDailyAggregateRepository repository;

    @EJB
    SettingsService settings;

    /** @return the store-days recounted */
    public int recount(MergeResult result) {
        Map<Long, StoreRef> stores = repository.stores(List.of()).stream()
                .collect(Collectors.toMap(StoreRef::id, Function.identity()));
        Duration gap = settings.visitGap();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        int days = 0;
        for (MergeResult.StoreSpan span : result.storeSpans()) {
            StoreRef store = stores.get(span.storeId());
            if (store == null) {
                continue;
            }
            // a rebuilt visit starts at most one gap before the first moved sighting
            LocalDate first = LocalDayWindow.localDayOf(span.fromUtc().minus(gap), store.zone());
            LocalDate last = LocalDayWindow.localDayOf(span.toUtc(), store.zone());
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                LocalDayWindow window = LocalDayWindow.of(day, store.zone());
                if (!window.isCompleteAt(Instant.now())) {
                    continue;
                }
                repository.replace(repository.tally(store, window), now);
                days++;
            }
            repository.refreshCustomerTotals(store.id());
            // the portal's UTC days of the span, also those not over yet (a later crop is caught as stale by the
            // portal itself: it was received after the row was computed)
            java.util.SortedSet<LocalDate> spanDays = new java.util.TreeSet<>();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                spanDays.add(day);
            }
            repository.refreshPortalDays(List.of(new StoreDays(store, spanDays)), now);
        }
        int recounted = days;
        LOG.fine(() -> "Merge " + result.mergeId() + ": recounted " + recounted + " store-day aggregate(s)");
        return recounted;
    }
}
