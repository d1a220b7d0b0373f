package com.rva.application.aggregates;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * daily-aggregates on PostgreSQL: replaces the rows of runs of consecutive store-local days of many stores
 * at once with set-based SQL in the database (plain JDBC on the caller's connection and transaction), giving
 * the same figures as {@link StoreDayTally} per day. A chunk of the job is a handful of statements whatever
 * its number of stores and days: the runs travel as arrays ({@code unnest}), so the statements' text never
 * changes and the connection keeps one prepared plan for each. A customer is new on a day when the store
 * never saw it before that day: no visit to the store before the run, and the day is its first in the run.
 * Used by the job ({@code JpaDailyAggregateRepository.replace}) and by {@code ./rva bench aggregates}.
 */
public final class StoreDaysSql {

    private StoreDaysSql() {
    }

    /** The runs as rows: parameters store ids, zones, UTC from, UTC to, first days, last days (arrays). */
    private static final String RUNS = "SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TIMESTAMP[]),"
            + " CAST(? AS TIMESTAMP[]), CAST(? AS DATE[]), CAST(? AS DATE[])) WITH ORDINALITY AS r(store_id, zone, f, t, first_d,"
            + " last_d, run)";

    static final String DELETE_CUSTOMER_DAYS = "DELETE FROM customer_store_day_aggregate a USING (" + RUNS + ") r"
            + " WHERE a.store_id = r.store_id AND a.local_day BETWEEN r.first_d AND r.last_d";
    static final String DELETE_STORE_DAYS = "DELETE FROM store_day_aggregate a USING (" + RUNS + ") r"
            + " WHERE a.store_id = r.store_id AND a.local_day BETWEEN r.first_d AND r.last_d";

    /**
     * Both inserts in one statement, so the visits of the runs are read once: the customer-days in a
     * data-modifying CTE, the store-days (every day of each run, with or without visits) as the main
     * statement. Parameters: the runs (6 arrays), computed at.
     */
    static final String INSERT_DAYS = "WITH r AS MATERIALIZED (" + RUNS + "),"
            + " v AS MATERIALIZED (SELECT r.run, r.store_id, v.customer_id,"
            + "   CAST(FLOOR(EXTRACT(EPOCH FROM (v.ended_at - v.started_at)) * 1000) / 1000.0 AS DOUBLE PRECISION) AS dwell,"
            + "   CAST(timezone(r.zone, timezone('UTC', v.started_at)) AS DATE) AS d,"
            + "   CAST(EXTRACT(HOUR FROM timezone(r.zone, timezone('UTC', v.started_at))) AS INTEGER) AS h"
            + "   FROM r JOIN visit v ON v.store_id = r.store_id AND v.started_at >= r.f AND v.started_at < r.t),"
            + " cd AS (INSERT INTO customer_store_day_aggregate (customer_id, store_id, local_day, visits)"
            + "   SELECT customer_id, store_id, d, COUNT(*) FROM v GROUP BY customer_id, store_id, d),"
            + " cust AS MATERIALIZED (SELECT c.run, c.customer_id, c.first_d, EXISTS (SELECT 1 FROM visit p WHERE p.customer_id = c.customer_id"
            + "   AND p.store_id = r.store_id AND p.started_at < r.f) AS seen_before"
            + "   FROM (SELECT run, customer_id, MIN(d) AS first_d FROM v GROUP BY run, customer_id) c JOIN r ON r.run = c.run),"
            + " per_day AS (SELECT run, d, COUNT(*) AS visits, AVG(dwell) AS avg_dwell,"
            + "   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY dwell) AS median_dwell FROM v GROUP BY run, d),"
            + " cust_day AS (SELECT x.run, x.d, COUNT(*) AS uniq,"
            + "   COUNT(*) FILTER (WHERE NOT c.seen_before AND c.first_d = x.d) AS new_c"
            + "   FROM (SELECT DISTINCT run, d, customer_id FROM v) x JOIN cust c ON c.run = x.run AND c.customer_id = x.customer_id"
            + "   GROUP BY x.run, x.d),"
            + " busiest AS (SELECT DISTINCT ON (run, d) run, d, h FROM (SELECT run, d, h, COUNT(*) AS n FROM v GROUP BY run, d, h) t"
            + "   ORDER BY run, d, n DESC, h),"
            + " sight AS (SELECT r.run, CAST(timezone(r.zone, timezone('UTC', s.captured_at)) AS DATE) AS d, COUNT(*) AS n"
            + "   FROM r JOIN sighting s ON s.store_id = r.store_id AND s.captured_at >= r.f AND s.captured_at < r.t GROUP BY 1, 2),"
            + " days AS (SELECT r.run, r.store_id, CAST(g AS DATE) AS d FROM r,"
            + "   generate_series(CAST(r.first_d AS TIMESTAMP), CAST(r.last_d AS TIMESTAMP), INTERVAL '1 day') g)"
            + " INSERT INTO store_day_aggregate (store_id, local_day, visits, unique_customers, sightings, new_customers,"
            + " returning_customers, avg_dwell_seconds, median_dwell_seconds, busiest_hour, computed_at)"
            + " SELECT days.store_id, days.d, COALESCE(per_day.visits, 0), COALESCE(cust_day.uniq, 0), COALESCE(sight.n, 0),"
            + " COALESCE(cust_day.new_c, 0), COALESCE(cust_day.uniq - cust_day.new_c, 0), per_day.avg_dwell,"
            + " per_day.median_dwell, busiest.h, CAST(? AS TIMESTAMP)"
            + " FROM days LEFT JOIN per_day ON per_day.run = days.run AND per_day.d = days.d"
            + " LEFT JOIN cust_day ON cust_day.run = days.run AND cust_day.d = days.d"
            + " LEFT JOIN busiest ON busiest.run = days.run AND busiest.d = days.d"
            + " LEFT JOIN sight ON sight.run = days.run AND sight.d = days.d";

    static final String DELETE_CUSTOMER_TOTALS = "DELETE FROM customer_store_aggregate WHERE store_id = ANY (CAST(? AS BIGINT[]))";
    static final String INSERT_CUSTOMER_TOTALS = "INSERT INTO customer_store_aggregate (customer_id, store_id, appearances,"
            + " first_day, last_day) SELECT customer_id, store_id, SUM(visits), MIN(local_day), MAX(local_day)"
            + " FROM customer_store_day_aggregate WHERE store_id = ANY (CAST(? AS BIGINT[])) GROUP BY store_id, customer_id";

    /**
     * One chunk of the job on PostgreSQL: replaces the rows of every day of the items (store-days and
     * customer-days) and re-sums the items' stores' appearances to date, in five statements on the caller's
     * transaction. {@code ./rva bench aggregates} calls this too, with the same items and chunks as the job.
     *
     * @return the store-day rows written
     */
    public static int writeChunk(Connection c, List<StoreDays> items, LocalDateTime computedAtUtc) throws SQLException {
        List<StoreDays.Run> runs = new ArrayList<>();
        Set<Long> stores = new LinkedHashSet<>();
        for (StoreDays item : items) {
            runs.addAll(item.runs());
            stores.add(item.store().id());
        }
        int rows = replace(c, runs, computedAtUtc);
        refreshCustomerTotals(c, stores);
        return rows;
    }

    /**
     * Replaces the day rows and customer-day rows of {@code store}'s local days {@code first} .. {@code last}.
     *
     * @return the store-day rows written
     */
    public static int replaceDays(Connection c, StoreRef store, LocalDate first, LocalDate last, LocalDateTime computedAtUtc)
            throws SQLException {
        return replace(c, List.of(new StoreDays.Run(store, first, last)), computedAtUtc);
    }

    /**
     * Replaces the day rows and customer-day rows of every run (runs must not overlap), in three statements.
     *
     * @return the store-day rows written (one per day of each run)
     */
    public static int replace(Connection c, List<StoreDays.Run> runs, LocalDateTime computedAtUtc) throws SQLException {
        if (runs.isEmpty()) {
            return 0;
        }
        int n = runs.size();
        Long[] stores = new Long[n];
        String[] zones = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        String[] first = new String[n];
        String[] last = new String[n];
        for (int i = 0; i < n; i++) {
            StoreDays.Run run = runs.get(i);
            stores[i] = run.store().id();
            zones[i] = run.store().zone().getId();
            from[i] = Timestamp.valueOf(run.firstWindow().fromUtc()).toString();
            to[i] = Timestamp.valueOf(run.lastWindow().toUtc()).toString();
            first[i] = run.first().toString();
            last[i] = run.last().toString();
        }
        Array[] arrays = {c.createArrayOf("bigint", stores), c.createArrayOf("text", zones), c.createArrayOf("text", from),
            c.createArrayOf("text", to), c.createArrayOf("text", first), c.createArrayOf("text", last)};
        // the plan does not depend on the arrays' values: plan once per connection, not once per chunk
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        }
        for (String delete : new String[] {DELETE_CUSTOMER_DAYS, DELETE_STORE_DAYS}) {
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                setRuns(ps, arrays);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_DAYS)) {
            setRuns(ps, arrays);
            ps.setTimestamp(arrays.length + 1, Timestamp.valueOf(computedAtUtc));
            return ps.executeUpdate();
        }
    }

    private static void setRuns(PreparedStatement ps, Array[] arrays) throws SQLException {
        for (int i = 0; i < arrays.length; i++) {
            ps.setArray(i + 1, arrays[i]);
        }
    }

    /** Re-sums the store's appearances to date per customer from its day rows (as the job does after each chunk). */
    public static int refreshCustomerTotals(Connection c, long storeId) throws SQLException {
        return refreshCustomerTotals(c, List.of(storeId));
    }

    /** The same for several stores at once, in two statements. */
    public static int refreshCustomerTotals(Connection c, Collection<Long> storeIds) throws SQLException {
        if (storeIds.isEmpty()) {
            return 0;
        }
        Array ids = c.createArrayOf("bigint", storeIds.toArray(new Long[0]));
        try (PreparedStatement del = c.prepareStatement(DELETE_CUSTOMER_TOTALS);
                PreparedStatement ins = c.prepareStatement(INSERT_CUSTOMER_TOTALS)) {
            del.setArray(1, ids);
            del.executeUpdate();
            ins.setArray(1, ids);
            return ins.executeUpdate();
        }
    }
}
