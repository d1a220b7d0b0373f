package com.rva.infrastructure.aggregates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.PortalDaysSql;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreDaysSql;
import com.rva.application.aggregates.StoreRef;
import com.rva.application.aggregates.VisitSpan;
import com.rva.application.batch.JobParameterException;
import com.rva.domain.CustomerStoreDayAggregate;
import com.rva.domain.StoreDayAggregate;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Reads visits and sightings of a store-local day and replaces that day's aggregate rows. */
@ApplicationScoped
public class JpaDailyAggregateRepository {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource dataSource;

    /** Whether store-days are computed by set-based SQL in the database (PostgreSQL); null until first asked. */
    volatile Boolean setBased;

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

    /** The stores with these ids, in id order (ids no longer there are left out). */
    public List<StoreRef> storesById(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT s.id, s.code, s.timeZone FROM Store s WHERE s.id IN :ids ORDER BY s.id",
                Object[].class).setParameter("ids", ids).getResultList().stream()
                .map(r -> new StoreRef((Long) r[0], (String) r[1], (String) r[2])).toList();
    }

    /** The visits of one store whose start falls into the window. */
    public List<VisitSpan> visits(long storeId, LocalDayWindow window) {
        return em.createQuery("SELECT v.customer.id, v.startedAt, v.endedAt FROM Visit v WHERE v.store.id = :store"
                + " AND v.startedAt >= :from AND v.startedAt < :to", Object[].class)
                .setParameter("store", storeId)
                .setParameter("from", window.fromUtc())
                .setParameter("to", window.toUtc())
                .getResultList().stream()
                .map(r -> new VisitSpan((Long) r[0], (LocalDateTime) r[1], (LocalDateTime) r[2])).toList();
    }

    /** Customers with a visit to the store in the window who had visited that store before it began. */
    public Set<Long> returningCustomers(long storeId, LocalDayWindow window) {
        return new HashSet<>(em.createQuery("SELECT DISTINCT v.customer.id FROM Visit v WHERE v.store.id = :store"
                + " AND v.startedAt >= :from AND v.startedAt < :to AND EXISTS (SELECT p.id FROM Visit p"
                + " WHERE p.customer = v.customer AND p.store.id = :store AND p.startedAt < :from)", Long.class)
                .setParameter("store", storeId)
                .setParameter("from", window.fromUtc())
                .setParameter("to", window.toUtc())
                .getResultList());
    }

    /** Sightings captured in the window, for one store. */
    public long sightings(long storeId, LocalDayWindow window) {
        return sightings(storeId, window, null);
    }

    /** Sightings captured in the window and received after {@code receivedAfterUtc} (null: any), for one store. */
    public long sightings(long storeId, LocalDayWindow window, LocalDateTime receivedAfterUtc) {
        return em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.store.id = :store"
                + " AND s.capturedAt >= :from AND s.capturedAt < :to AND s.receivedAt > :after", Long.class)
                .setParameter("store", storeId)
                .setParameter("from", window.fromUtc())
                .setParameter("to", window.toUtc())
                .setParameter("after", receivedAfterUtc == null ? LocalDateTime.of(1970, 1, 1, 0, 0) : receivedAfterUtc)
                .getSingleResult();
    }

    /**
     * Store-local days before {@code beforeDay} that are stale: a sighting captured in the day was received
     * after the day's aggregates were computed (a collector that was offline sent its backlog late), or
     * the day has sightings received since {@code receivedSinceUtc} and was never aggregated. Only
     * sightings received since {@code receivedSinceUtc} are looked at (the index on received_at).
     */
    public Map<Long, SortedSet<LocalDate>> staleDays(List<StoreRef> stores, LocalDate beforeDay,
            LocalDateTime receivedSinceUtc) {
        Map<Long, StoreRef> byId = new HashMap<>();
        stores.forEach(s -> byId.put(s.id(), s));
        Map<Long, SortedSet<LocalDate>> candidates = new TreeMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT DISTINCT store_id, CAST(captured_at AS DATE) FROM sighting"
                + " WHERE received_at >= ?1").setParameter(1, receivedSinceUtc).getResultList();
        for (Object[] r : rows) {
            long storeId = ((Number) r[0]).longValue();
            if (!byId.containsKey(storeId)) {
                continue;
            }
            LocalDate utcDay = localDate(r[1]);
            // a UTC date overlaps the store-local day before, of, and after it
            for (LocalDate d = utcDay.minusDays(1); !d.isAfter(utcDay.plusDays(1)); d = d.plusDays(1)) {
                if (d.isBefore(beforeDay)) {
                    candidates.computeIfAbsent(storeId, k -> new TreeSet<>()).add(d);
                }
            }
        }
        Map<Long, SortedSet<LocalDate>> stale = new TreeMap<>();
        candidates.forEach((storeId, days) -> {
            StoreRef store = byId.get(storeId);
            for (LocalDate day : days) {
                LocalDayWindow window = LocalDayWindow.of(day, store.zone());
                List<LocalDateTime> computed = em.createQuery("SELECT a.computedAt FROM StoreDayAggregate a"
                        + " WHERE a.storeId = :store AND a.localDay = :day", LocalDateTime.class)
                        .setParameter("store", storeId).setParameter("day", day).getResultList();
                LocalDateTime after = computed.isEmpty() ? receivedSinceUtc.minusNanos(1) : computed.get(0);
                if (sightings(storeId, window, after) > 0) {
                    stale.computeIfAbsent(storeId, k -> new TreeSet<>()).add(day);
                }
            }
        });
        return stale;
    }

    private static LocalDate localDate(Object o) {
        if (o instanceof LocalDate d) {
            return d;
        }
        if (o instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toLocalDate();
        }
        if (o instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        throw new IllegalStateException("Unexpected date value " + o + " (" + (o == null ? null : o.getClass()) + ")");
    }

    /** The figures of one store-day, counted as daily-aggregates counts them. */
    public StoreDayTally tally(StoreRef store, LocalDayWindow window) {
        return StoreDayTally.of(store, window, visits(store.id(), window), returningCustomers(store.id(), window),
                sightings(store.id(), window));
    }

    /**
     * On PostgreSQL the job computes a store's days with set-based SQL in the database
     * ({@link #replaceDays}); elsewhere it tallies each store-day in Java ({@link #tally}, {@link #replace}).
     * Both count by the same rules; {@code JpaDailyAggregateRepositoryTest} checks they give the same rows.
     */
    public boolean setBased() {
        Boolean b = setBased;
        if (b == null) {
            try (Connection c = dataSource.getConnection()) {
                b = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
            }
            setBased = b;
        }
        return b;
    }

    /**
     * Replaces the rows of the consecutive store-local days {@code first} .. {@code last} of one store with
     * set-based SQL (PostgreSQL, {@link StoreDaysSql}) in the caller's (chunk) transaction.
     */
    public void replaceDays(StoreRef store, LocalDate first, LocalDate last, LocalDateTime computedAtUtc) {
        List<StoreDays> items = List.of(new StoreDays(store, days(first, last)));
        replace(items, computedAtUtc);
        refreshPortalDays(items, computedAtUtc);
    }

    private static SortedSet<LocalDate> days(LocalDate first, LocalDate last) {
        SortedSet<LocalDate> days = new TreeSet<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /**
     * Replaces the rows of every store's days with set-based SQL (PostgreSQL, {@link StoreDaysSql}): one set of
     * statements for all of them, in the caller's (chunk) transaction.
     */
    public void replace(List<StoreDays> storeDays, LocalDateTime computedAtUtc) {
        em.flush();
        List<StoreDays.Run> runs = new ArrayList<>();
        storeDays.forEach(sd -> runs.addAll(sd.runs()));
        try {
            StoreDaysSql.replace(em.unwrap(Connection.class), runs, computedAtUtc);
        } catch (SQLException e) {
            throw new IllegalStateException("daily-aggregates " + storeDays + ": " + e.getMessage(), e);
        }
    }

    /**
     * A chunk of the job on PostgreSQL ({@link StoreDaysSql#writeChunk}): the items' store-days and customer-days
     * replaced and their stores' appearances to date re-summed, in the caller's (chunk) transaction.
     */
    public void writeChunk(List<StoreDays> items, LocalDateTime computedAtUtc) {
        em.flush();
        try {
            StoreDaysSql.writeChunk(em.unwrap(Connection.class), items, computedAtUtc);
        } catch (SQLException e) {
            throw new IllegalStateException("daily-aggregates " + items + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewrites the portal's per-UTC-day figures ({@link PortalDaysSql}) of the UTC days overlapping each run of
     * store-local days of the items, in the caller's (chunk) transaction.
     */
    public void refreshPortalDays(Collection<StoreDays> items, LocalDateTime computedAtUtc) {
        em.flush();
        try {
            Connection c = em.unwrap(Connection.class);
            for (StoreDays sd : items) {
                for (StoreDays.Run run : sd.runs()) {
                    PortalDaysSql.refreshLocalDays(c, run.store(), run.first(), run.last(), computedAtUtc);
                }
            }
            PortalDaysSql.changed(c);
        } catch (SQLException e) {
            throw new IllegalStateException("portal days of " + items + ": " + e.getMessage(), e);
        }
    }

    /** The stores' late-crop watermark of the portal figures ({@link PortalDaysSql#advanceWatermarks}). */
    public void advancePortalWatermarks(Collection<Long> storeIds, LocalDateTime checkedFromUtc,
            LocalDateTime checkedAtUtc) {
        em.flush();
        try {
            PortalDaysSql.advanceWatermarks(em.unwrap(Connection.class), storeIds, checkedFromUtc, checkedAtUtc);
        } catch (SQLException e) {
            throw new IllegalStateException("portal watermarks of stores " + storeIds + ": " + e.getMessage(), e);
        }
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
                tally.newCustomers(), tally.returningCustomers(), tally.avgDwellSeconds(), tally.medianDwellSeconds(),
                tally.busiestHour(), computedAtUtc));
        tally.visitsByCustomer().forEach((customerId, visits) ->
                em.persist(new CustomerStoreDayAggregate(customerId, storeId, day, visits)));
        em.flush();
    }

    /**
     * Re-sums the store's appearances to date per customer from its day rows (after days were replaced,
     * in the same transaction): the result never depends on which days were recomputed, or in which order.
     */
    public int refreshCustomerTotals(long storeId) {
        em.flush();
        em.createNativeQuery("DELETE FROM customer_store_aggregate WHERE store_id = ?1").setParameter(1, storeId)
                .executeUpdate();
        return em.createNativeQuery("INSERT INTO customer_store_aggregate (customer_id, store_id, appearances,"
                + " first_day, last_day) SELECT customer_id, store_id, SUM(visits), MIN(local_day), MAX(local_day)"
                + " FROM customer_store_day_aggregate WHERE store_id = ?1 GROUP BY customer_id, store_id")
                .setParameter(1, storeId).executeUpdate();
    }

    /** The same for several stores: on PostgreSQL two statements for all of them ({@link StoreDaysSql}). */
    public int refreshCustomerTotals(Collection<Long> storeIds) {
        if (!setBased()) {
            return storeIds.stream().mapToInt(this::refreshCustomerTotals).sum();
        }
        em.flush();
        try {
            return StoreDaysSql.refreshCustomerTotals(em.unwrap(Connection.class), storeIds);
        } catch (SQLException e) {
            throw new IllegalStateException("daily-aggregates appearances to date of stores " + storeIds + ": "
                    + e.getMessage(), e);
        }
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
