package com.rva.infrastructure.aggregates;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreRef;
import com.rva.application.batch.JobParameterException;
import com.rva.domain.CustomerStoreDayAggregate;
import com.rva.domain.StoreDayAggregate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Reads visits and sightings of a store-local day and replaces that day's aggregate rows. */
@ApplicationScoped
public class JpaDailyAggregateRepository {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    /**
     * The stores to aggregate, ordered by id (the job's checkpoint is the last store id done).
     * Empty {@code codes} means every store; an unknown code is refused.
     */
    public List<StoreRef> stores(List<String> codes) {
        List<Object[]> rows = em.createQuery("SELECT s.id, s.code, s.timeZone FROM Store s ORDER BY s.id",
                Object[].class).getResultList();
        Map<String, StoreRef> byCode = new LinkedHashMap<>();
        for (Object[] r : rows) {
            byCode.put((String) r[1], new StoreRef((Long) r[0], (String) r[1], (String) r[2]));
        }
        if (codes.isEmpty()) {
            return new ArrayList<>(byCode.values());
        }
        List<String> unknown = codes.stream().filter(c -> !byCode.containsKey(c)).toList();
        if (!unknown.isEmpty()) {
            throw new JobParameterException(DailyAggregatesParameters.STORES, "unknown store(s) " + unknown);
        }
        return byCode.values().stream().filter(s -> codes.contains(s.code())).toList();
    }

    /** Visits per customer whose start falls into the window, for one store. */
    public Map<Long, Long> visitsPerCustomer(long storeId, LocalDayWindow window) {
        List<Object[]> rows = em.createQuery("SELECT v.customer.id, COUNT(v) FROM Visit v WHERE v.store.id = :store"
                + " AND v.startedAt >= :from AND v.startedAt < :to GROUP BY v.customer.id", Object[].class)
                .setParameter("store", storeId)
                .setParameter("from", window.fromUtc())
                .setParameter("to", window.toUtc())
                .getResultList();
        Map<Long, Long> counts = new LinkedHashMap<>();
        rows.forEach(r -> counts.put((Long) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    /** Sightings captured in the window, for one store. */
    public long sightings(long storeId, LocalDayWindow window) {
        return em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.store.id = :store"
                + " AND s.capturedAt >= :from AND s.capturedAt < :to", Long.class)
                .setParameter("store", storeId)
                .setParameter("from", window.fromUtc())
                .setParameter("to", window.toUtc())
                .getSingleResult();
    }

    /**
     * Replaces the rows of the tally's store and day. Runs in the caller's (chunk) transaction, so a
     * day is either wholly the old or wholly the new figures, and re-running a day gives the same rows.
     */
    public void replace(StoreDayTally tally, LocalDateTime computedAtUtc) {
        long storeId = tally.store().id();
        LocalDate day = tally.window().day();
        em.createNamedQuery(CustomerStoreDayAggregate.DELETE_STORE_DAY)
                .setParameter("storeId", storeId).setParameter("day", day).executeUpdate();
        em.createNamedQuery(StoreDayAggregate.DELETE_STORE_DAY)
                .setParameter("storeId", storeId).setParameter("day", day).executeUpdate();
        em.persist(new StoreDayAggregate(storeId, day, tally.visits(), tally.uniqueCustomers(), tally.sightings(),
                computedAtUtc));
        tally.visitsByCustomer().forEach((customerId, visits) ->
                em.persist(new CustomerStoreDayAggregate(customerId, storeId, day, visits)));
    }

    /** Totals over the aggregate rows of a day for the given stores (for the job's summary line). */
    public DayTotals totals(LocalDate day, Collection<Long> storeIds) {
        if (storeIds.isEmpty()) {
            return new DayTotals(0, 0, 0, 0);
        }
        Object[] r = em.createQuery("SELECT COUNT(a), SUM(a.visits), SUM(a.sightings) FROM StoreDayAggregate a"
                + " WHERE a.localDay = :day AND a.storeId IN :stores", Object[].class)
                .setParameter("day", day).setParameter("stores", storeIds).getSingleResult();
        long customers = em.createQuery("SELECT COUNT(DISTINCT a.customerId) FROM CustomerStoreDayAggregate a"
                + " WHERE a.localDay = :day AND a.storeId IN :stores", Long.class)
                .setParameter("day", day).setParameter("stores", storeIds).getSingleResult();
        return new DayTotals(number(r[0]), number(r[1]), customers, number(r[2]));
    }

    private static long number(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    /** Stores with a row, their visits, distinct customers over all of them, and their sightings. */
    public record DayTotals(long stores, long visits, long customers, long sightings) {
    }
}
