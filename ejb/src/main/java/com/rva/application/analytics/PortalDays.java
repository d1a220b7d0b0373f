package com.rva.application.analytics;

import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * Reads the portal's precomputed store × UTC-day figures ({@code portal_store_day}, written by daily-aggregates,
 * see {@code PortalDaysSql} in the batch module) for a range and a set of stores, and hands every customer-day of
 * the range to a sink: from the rows where a day is precomputed and fresh, from the visits where it is not (days
 * without a row: today, days the job has not reached; days with a sighting received after the row was computed and
 * after the store's watermark: late crops not yet re-aggregated; the partial days at the ends of a range that does
 * not start or end at midnight). So the figures are always those of the visit rows, exact, at the cost of
 * O(stores × days) rows plus the live rows. The rows themselves come from {@link PortalDayCache} while
 * {@code portal_days_version} has not moved since it read them.
 */
final class PortalDays {

    /**
     * The customer-days: a precomputed store-day as a whole ({@link #row}), or live: {@link #storeDay} names the
     * store and UTC day of the customers that follow, then {@link #accept} gives one customer's visits and sightings
     * there (one per visit).
     */
    interface Sink extends CustomerDayCodec.Sink {
        /** A precomputed store-day: its customers as {@link CustomerDayCodec} encoded them. */
        void row(long storeId, LocalDate day, byte[] encoded);

        void storeDay(long storeId, LocalDate day);
    }

    /**
     * A scope of at most this many stores reads only its own rows of a day the cache does not hold (without caching
     * them: a store manager's page should not pay for reading 1,000 stores), a larger one reads whole days into it.
     */
    static final int SMALL_SCOPE = 100;

    private PortalDays() {
    }

    /**
     * @param storeIds the stores, or {@code null} for every store
     * @return {@code false} when no day of the range is precomputed at all: nothing was read, the caller counts from
     *         the visits with its own (SQL) path
     */
    static boolean read(EntityManager em, PortalDayCache cache, LocalDateTime from, LocalDateTime to,
            List<Long> storeIds, Duration gap, Sink sink, PortalTiming tm) {
        LocalDate firstDay = from.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? from.toLocalDate()
                : from.toLocalDate().plusDays(1);
        LocalDate endDay = to.toLocalDate(); // exclusive
        if (!firstDay.isBefore(endDay)) {
            return false;
        }
        // the precomputed rows of the whole days: from this server's cache while portal_days_version has not moved,
        // else from the database (whole days into the cache; a small scope's own rows only, not cached)
        Map<Long, Map<LocalDate, PortalDayCache.Row>> rows = new HashMap<>();
        boolean wholeDays = cache.enabled() && (storeIds == null || storeIds.size() > SMALL_SCOPE);
        Set<Long> scopeSet = storeIds == null ? null : new HashSet<>(storeIds);
        long version = cache.enabled() ? number(em.createNativeQuery("SELECT version FROM portal_days_version WHERE id = 1")
                .getSingleResult()) : 0;
        List<LocalDate> notHeld = new ArrayList<>();
        for (LocalDate day = firstDay; day.isBefore(endDay); day = day.plusDays(1)) {
            Map<Long, PortalDayCache.Row> held = cache.enabled() ? cache.day(version, day) : null;
            if (held == null) {
                notHeld.add(day);
                continue;
            }
            addInScope(rows, day, held, scopeSet);
        }
        tm.mark("cache");
        tm.note("read_days", notHeld.size());
        for (int i = 0; i < notHeld.size(); ) {
            // a run of consecutive days not held, in one query
            int j = i + 1;
            while (j < notHeld.size() && notHeld.get(j).equals(notHeld.get(j - 1).plusDays(1))) {
                j++;
            }
            List<Long> stores = wholeDays ? null : storeIds;
            Query q = em.createNativeQuery("SELECT store_id, utc_day, computed_at, customer_visits FROM portal_store_day"
                    + " WHERE utc_day >= ?1 AND utc_day < ?2" + inStores(stores, 3));
            q.setParameter(1, java.sql.Date.valueOf(notHeld.get(i)))
                    .setParameter(2, java.sql.Date.valueOf(notHeld.get(j - 1).plusDays(1)));
            bindStores(q, stores, 3);
            Map<LocalDate, Map<Long, PortalDayCache.Row>> read = new TreeMap<>();
            for (int k = i; k < j; k++) {
                read.put(notHeld.get(k), new HashMap<>());
            }
            for (Object o : q.getResultList()) {
                Object[] r = (Object[]) o;
                read.get(date(r[1])).put(number(r[0]), new PortalDayCache.Row(dateTime(r[2]), bytes(r[3])));
            }
            for (Map.Entry<LocalDate, Map<Long, PortalDayCache.Row>> d : read.entrySet()) {
                if (wholeDays) {
                    cache.put(version, d.getKey(), d.getValue());
                }
                addInScope(rows, d.getKey(), d.getValue(), scopeSet);
            }
            i = j;
        }
        tm.mark("rows");
        if (rows.isEmpty()) {
            return false;
        }

        // late crops: a sighting of a precomputed day received after the row and after its store's watermark
        Map<Long, LocalDateTime> watermarks = new HashMap<>();
        Query wq = em.createNativeQuery("SELECT store_id, fresh_until FROM portal_store_watermark WHERE 1 = 1"
                + inStores(storeIds, 1));
        bindStores(wq, storeIds, 1);
        for (Object o : wq.getResultList()) {
            Object[] r = (Object[]) o;
            watermarks.put(number(r[0]), dateTime(r[1]));
        }
        tm.mark("watermarks");
        LocalDateTime since = null;
        for (Map.Entry<Long, Map<LocalDate, PortalDayCache.Row>> s : rows.entrySet()) {
            for (PortalDayCache.Row r : s.getValue().values()) {
                LocalDateTime fresh = freshUntil(r, watermarks.get(s.getKey()));
                since = since == null || fresh.isBefore(since) ? fresh : since;
            }
        }
        Set<String> stale = new HashSet<>();
        Query sq = em.createNativeQuery("SELECT store_id, captured_at, received_at FROM sighting WHERE captured_at >= ?1"
                + " AND captured_at < ?2 AND received_at > ?3" + inStores(storeIds, 4));
        sq.setParameter(1, Timestamp.valueOf(firstDay.atStartOfDay()))
                .setParameter(2, Timestamp.valueOf(endDay.atStartOfDay().plus(gap))).setParameter(3, Timestamp.valueOf(since));
        bindStores(sq, storeIds, 4);
        for (Object o : sq.getResultList()) {
            Object[] r = (Object[]) o;
            long store = number(r[0]);
            LocalDateTime captured = dateTime(r[1]);
            LocalDateTime received = dateTime(r[2]);
            Map<LocalDate, PortalDayCache.Row> ofStore = rows.getOrDefault(store, Map.of());
            // the visit it belongs to may have started on the day before, up to one visit gap earlier
            for (LocalDate day : new java.util.TreeSet<>(List.of(captured.toLocalDate(), captured.minus(gap).toLocalDate()))) {
                PortalDayCache.Row row = ofStore.get(day);
                if (row != null && received.isAfter(freshUntil(row, watermarks.get(store)))) {
                    stale.add(store + "/" + day);
                }
            }
        }

        tm.mark("stale");
        // the fresh rows' customer-days
        Set<Long> scope = new LinkedHashSet<>(storeIds != null ? storeIds : allStoreIds(em));
        TreeMap<LocalDate, Set<Long>> covered = new TreeMap<>();
        for (Map.Entry<Long, Map<LocalDate, PortalDayCache.Row>> s : rows.entrySet()) {
            long store = s.getKey();
            for (Map.Entry<LocalDate, PortalDayCache.Row> d : s.getValue().entrySet()) {
                if (!stale.isEmpty() && stale.contains(store + "/" + d.getKey())) {
                    continue;
                }
                LocalDate day = d.getKey();
                covered.computeIfAbsent(day, k -> new HashSet<>()).add(store);
                sink.row(store, day, d.getValue().customerVisits());
            }
        }

        tm.mark("decode");
        // the rest from the visits: the partial days at the ends, and per whole day the stores without a fresh row
        live(em, from, firstDay.atStartOfDay(), storeIds, sink);
        live(em, endDay.atStartOfDay(), to, storeIds, sink);
        LocalDate runStart = null;
        List<Long> runStores = null;
        for (LocalDate day = firstDay; !day.isAfter(endDay); day = day.plusDays(1)) {
            List<Long> missing = null;
            if (day.isBefore(endDay)) {
                Set<Long> done = covered.getOrDefault(day, Set.of());
                missing = new ArrayList<>();
                for (long s : scope) {
                    if (!done.contains(s)) {
                        missing.add(s);
                    }
                }
            }
            if (runStart != null && !runStores.equals(missing)) {
                if (!runStores.isEmpty()) {
                    live(em, runStart.atStartOfDay(), day.atStartOfDay(),
                            runStores.size() == scope.size() ? storeIds : runStores, sink);
                }
                runStart = null;
            }
            if (runStart == null && missing != null) {
                runStart = day;
                runStores = missing;
            }
        }
        tm.mark("live");
        return true;
    }

    /** A day's rows (by store id) into {@code rows} (by store, then day), those of the scope's stores only (null: all). */
    private static void addInScope(Map<Long, Map<LocalDate, PortalDayCache.Row>> rows, LocalDate day,
            Map<Long, PortalDayCache.Row> byStore, Set<Long> scope) {
        for (Map.Entry<Long, PortalDayCache.Row> e : byStore.entrySet()) {
            if (scope == null || scope.contains(e.getKey())) {
                rows.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(day, e.getValue());
            }
        }
    }

    private static LocalDateTime freshUntil(PortalDayCache.Row row, LocalDateTime watermark) {
        LocalDateTime computed = row.computedAt();
        return watermark != null && watermark.isAfter(computed) ? watermark : computed;
    }

    /** The visits of {@code [from, to)} in the stores (all when {@code null}), one customer-day per visit. */
    private static void live(EntityManager em, LocalDateTime from, LocalDateTime to, List<Long> storeIds, Sink sink) {
        if (!from.isBefore(to)) {
            return;
        }
        Query q = em.createNativeQuery("SELECT store_id, customer_id, started_at, sighting_count FROM visit"
                + " WHERE started_at >= ?1 AND started_at < ?2" + inStores(storeIds, 3));
        q.setParameter(1, Timestamp.valueOf(from)).setParameter(2, Timestamp.valueOf(to));
        bindStores(q, storeIds, 3);
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            sink.storeDay(number(r[0]), dateTime(r[2]).toLocalDate());
            sink.accept(number(r[1]), 1, number(r[3]));
        }
    }

    private static List<Long> allStoreIds(EntityManager em) {
        List<Long> ids = new ArrayList<>();
        for (Object o : em.createNativeQuery("SELECT id FROM store").getResultList()) {
            ids.add(number(o));
        }
        return ids;
    }

    private static String inStores(List<Long> storeIds, int firstParameter) {
        if (storeIds == null) {
            return "";
        }
        StringBuilder sql = new StringBuilder(" AND store_id IN (");
        for (int i = 0; i < storeIds.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('?').append(firstParameter + i);
        }
        return sql.append(')').toString();
    }

    private static void bindStores(Query q, List<Long> storeIds, int firstParameter) {
        if (storeIds != null) {
            for (int i = 0; i < storeIds.size(); i++) {
                q.setParameter(firstParameter + i, storeIds.get(i));
            }
        }
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof Blob blob) {
            try {
                return blob.getBytes(1, (int) blob.length());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read portal_store_day.customer_visits: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("Unexpected customer_visits value " + value);
    }

    static LocalDate date(Object value) {
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime().toLocalDate();
        }
        if (value instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        throw new IllegalStateException("Unexpected date value " + value);
    }

    static LocalDateTime dateTime(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        throw new IllegalStateException("Unexpected date-time value " + value);
    }
}
