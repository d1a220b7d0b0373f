package com.rva.application.aggregates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * daily-aggregates on PostgreSQL: replaces the rows of consecutive store-local days of one store with
 * set-based SQL in the database (plain JDBC on the caller's connection and transaction), giving the same
 * figures as {@link StoreDayTally} per day. A customer is new on a day when the store never saw it before
 * that day: no visit to the store before the range, and the day is its first in the range. Used by the job
 * ({@code JpaDailyAggregateRepository.replaceDays}) and by {@code ./rva bench aggregates}.
 */
public final class StoreDaysSql {

    private StoreDaysSql() {
    }

    /** The store-local time of a UTC timestamp column; the zone is a text parameter. */
    private static String local(String column) {
        return "timezone(CAST(? AS TEXT), timezone('UTC', " + column + "))";
    }

    static final String DELETE_CUSTOMER_DAYS =
            "DELETE FROM customer_store_day_aggregate WHERE store_id = ? AND local_day BETWEEN ? AND ?";
    static final String DELETE_STORE_DAYS = "DELETE FROM store_day_aggregate WHERE store_id = ? AND local_day BETWEEN ? AND ?";

    /** Parameters: zone, store, from, to. */
    static final String CUSTOMER_DAYS = "INSERT INTO customer_store_day_aggregate (customer_id, store_id, local_day, visits)"
            + " SELECT customer_id, store_id, CAST(" + local("started_at") + " AS DATE) AS d, COUNT(*) FROM visit"
            + " WHERE store_id = ? AND started_at >= ? AND started_at < ? GROUP BY customer_id, store_id, d";

    /** Parameters: zone, store, from, to, store, from, zone, store, from, to, first day, last day, store, computed at. */
    static final String STORE_DAYS = "INSERT INTO store_day_aggregate (store_id, local_day, visits, unique_customers,"
            + " sightings, new_customers, returning_customers, avg_dwell_seconds, median_dwell_seconds, busiest_hour, computed_at)"
            + " WITH vl AS (SELECT customer_id, FLOOR(EXTRACT(EPOCH FROM (ended_at - started_at)) * 1000) / 1000.0 AS dwell,"
            + "   " + local("started_at") + " AS lt FROM visit WHERE store_id = ? AND started_at >= ? AND started_at < ?),"
            + " v AS (SELECT customer_id, CAST(dwell AS DOUBLE PRECISION) AS dwell, CAST(lt AS DATE) AS d,"
            + "   CAST(EXTRACT(HOUR FROM lt) AS INTEGER) AS h FROM vl),"
            + " cust AS (SELECT c.customer_id, c.first_d, EXISTS (SELECT 1 FROM visit p WHERE p.customer_id = c.customer_id"
            + "   AND p.store_id = ? AND p.started_at < ?) AS seen_before"
            + "   FROM (SELECT customer_id, MIN(d) AS first_d FROM v GROUP BY customer_id) c),"
            + " per_day AS (SELECT d, COUNT(*) AS visits, AVG(dwell) AS avg_dwell,"
            + "   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY dwell) AS median_dwell FROM v GROUP BY d),"
            + " cust_day AS (SELECT x.d, COUNT(*) AS uniq, COUNT(*) FILTER (WHERE NOT c.seen_before AND c.first_d = x.d) AS new_c"
            + "   FROM (SELECT DISTINCT d, customer_id FROM v) x JOIN cust c ON c.customer_id = x.customer_id GROUP BY x.d),"
            + " busiest AS (SELECT DISTINCT ON (d) d, h FROM (SELECT d, h, COUNT(*) AS n FROM v GROUP BY d, h) t"
            + "   ORDER BY d, n DESC, h),"
            + " sight AS (SELECT CAST(" + local("captured_at") + " AS DATE) AS d, COUNT(*) AS n FROM sighting"
            + "   WHERE store_id = ? AND captured_at >= ? AND captured_at < ? GROUP BY 1),"
            + " days AS (SELECT CAST(g AS DATE) AS d FROM generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL '1 day') g)"
            + " SELECT CAST(? AS BIGINT), days.d, COALESCE(per_day.visits, 0), COALESCE(cust_day.uniq, 0), COALESCE(sight.n, 0),"
            + " COALESCE(cust_day.new_c, 0), COALESCE(cust_day.uniq - cust_day.new_c, 0), per_day.avg_dwell,"
            + " per_day.median_dwell, busiest.h, CAST(? AS TIMESTAMP)"
            + " FROM days LEFT JOIN per_day ON per_day.d = days.d LEFT JOIN cust_day ON cust_day.d = days.d"
            + " LEFT JOIN busiest ON busiest.d = days.d LEFT JOIN sight ON sight.d = days.d";

    /**
     * Replaces the day rows and customer-day rows of {@code store}'s local days {@code first} .. {@code last}.
     *
     * @return the visits counted
     */
    public static int replaceDays(Connection c, StoreRef store, LocalDate first, LocalDate last, LocalDateTime computedAtUtc)
            throws SQLException {
        Timestamp from = Timestamp.valueOf(LocalDayWindow.of(first, store.zone()).fromUtc());
        Timestamp to = Timestamp.valueOf(LocalDayWindow.of(last, store.zone()).toUtc());
        String zone = store.zone().getId();
        for (String delete : new String[] {DELETE_CUSTOMER_DAYS, DELETE_STORE_DAYS}) {
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                ps.setLong(1, store.id());
                ps.setObject(2, first);
                ps.setObject(3, last);
                ps.executeUpdate();
            }
        }
        int visits;
        try (PreparedStatement ps = c.prepareStatement(CUSTOMER_DAYS)) {
            ps.setString(1, zone);
            ps.setLong(2, store.id());
            ps.setTimestamp(3, from);
            ps.setTimestamp(4, to);
            visits = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(STORE_DAYS)) {
            int i = 0;
            ps.setString(++i, zone);
            ps.setLong(++i, store.id());
            ps.setTimestamp(++i, from);
            ps.setTimestamp(++i, to);
            ps.setLong(++i, store.id());
            ps.setTimestamp(++i, from);
            ps.setString(++i, zone);
            ps.setLong(++i, store.id());
            ps.setTimestamp(++i, from);
            ps.setTimestamp(++i, to);
            ps.setObject(++i, first);
            ps.setObject(++i, last);
            ps.setLong(++i, store.id());
            ps.setTimestamp(++i, Timestamp.valueOf(computedAtUtc));
            ps.executeUpdate();
        }
        return visits;
    }

    /** Re-sums the store's appearances to date per customer from its day rows (as the job does after each chunk). */
    public static int refreshCustomerTotals(Connection c, long storeId) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM customer_store_aggregate WHERE store_id = ?");
                PreparedStatement ins = c.prepareStatement("INSERT INTO customer_store_aggregate (customer_id, store_id,"
                        + " appearances, first_day, last_day) SELECT customer_id, store_id, SUM(visits), MIN(local_day),"
                        + " MAX(local_day) FROM customer_store_day_aggregate WHERE store_id = ? GROUP BY customer_id, store_id")) {
            del.setLong(1, storeId);
            del.executeUpdate();
            ins.setLong(1, storeId);
            return ins.executeUpdate();
        }
    }
}
