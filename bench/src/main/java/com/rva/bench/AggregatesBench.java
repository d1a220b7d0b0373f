package com.rva.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreDaysSql;
import com.rva.application.aggregates.StoreRef;

/**
 * {@code ./rva bench aggregates}: the daily-aggregates computation over every generated day, as the job's
 * PostgreSQL path does it (per store, set-based SQL for its run of days and the re-sum of appearances to date,
 * one transaction per store, the stores dealt over {@code partitions} threads as the job's partitions), against
 * the bare SQL {@code GROUP BY}s that compute the same numbers over all stores at once, in the same run. Both
 * results are compared row by row. Last line:
 * {@code BENCH aggregates visits=... job_s=... sql_s=... ratio=... rows_per_s=... equal=...}.
 */
final class AggregatesBench {

    private static final Logger LOG = Logger.getLogger(AggregatesBench.class.getName());

    record Result(long visits, long storeDays, long chunks, double jobSeconds, double sqlSeconds, boolean equal) {
        double ratio() {
            return jobSeconds / sqlSeconds;
        }
    }

    static Result run(PgTarget target, int partitions, int storesPerChunk) throws Exception {
        List<StoreRef> stores = new ArrayList<>();
        long visits;
        LocalDate first;
        LocalDate last;
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id, code, time_zone FROM store ORDER BY id")) {
                while (rs.next()) {
                    stores.add(new StoreRef(rs.getLong(1), rs.getString(2), ZoneId.of(rs.getString(3))));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(started_at), MAX(started_at) FROM visit")) {
                rs.next();
                visits = rs.getLong(1);
                if (visits == 0) {
                    throw new IllegalStateException("no visits in the database: run ./rva generate first");
                }
                // every store-local day that can hold a visit, in any time zone
                first = rs.getTimestamp(2).toLocalDateTime().toLocalDate().minusDays(1);
                last = rs.getTimestamp(3).toLocalDateTime().toLocalDate().plusDays(1);
            }
        }
        LocalDate from = first;
        LocalDate to = last;
        LOG.info(() -> String.format("bench aggregates: %,d visits, %d stores, store-local days %s .. %s", visits,
                stores.size(), from, to));

        // visibility maps set, as autovacuum leaves insert-only tables: index-only scans for the job (the bare SQL
        // reads whole tables either way); not timed
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            long tv = System.nanoTime();
            st.execute("VACUUM (ANALYZE) visit, sighting, customer_store_day_aggregate");
            LOG.info(() -> String.format("vacuum analyze: %.1f s (not timed)", (System.nanoTime() - tv) / 1e9));
        }

        // the job's path: the job's own partitions, items and chunks, each chunk through StoreDaysSql.writeChunk
        // (what StoreDayWriter runs on PostgreSQL) and committed, on one connection per partition
        List<List<Long>> split = StoreDays.partition(stores.stream().map(StoreRef::id).toList(), partitions);
        Map<Long, StoreRef> byId = new HashMap<>();
        stores.forEach(s -> byId.put(s.id(), s));
        long t0 = System.nanoTime();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        AtomicInteger done = new AtomicInteger();
        AtomicLong chunks = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(split.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<Long> partition : split) {
                futures.add(pool.submit(() -> {
                    List<StoreDays> items = StoreDays.plan(partition.stream().map(byId::get).toList(), from, to, Map.of());
                    try (Connection c = target.connect()) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < items.size(); i += storesPerChunk) {
                            List<StoreDays> chunk = items.subList(i, Math.min(items.size(), i + storesPerChunk));
                            StoreDaysSql.writeChunk(c, chunk, now);
                            // and the portal's per-UTC-day figures the job's writer writes in the same transaction
                            for (StoreDays item : chunk) {
                                for (StoreDays.Run run : item.runs()) {
                                    com.rva.application.aggregates.PortalDaysSql.refreshLocalDays(c, run.store(),
                                            run.first(), run.last(), now);
                                }
                            }
                            c.commit();
                            chunks.incrementAndGet();
                            int n = done.addAndGet(chunk.size());
                            if (n % 100 < chunk.size() || n == stores.size()) {
                                double s2 = (System.nanoTime() - t0) / 1e9;
                                LOG.info(() -> String.format("job path progress: %d of %d stores (%.1f s)", n, stores.size(), s2));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double jobSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info(() -> String.format("job path: %.1f s", jobSeconds));

        // the bare SQL
        boolean equal;
        double sqlSeconds;
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            for (String t : new String[] {"bench_store_day", "bench_customer_day", "bench_customer_store"}) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
            long t1 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement(BARE_STORE_DAYS)) {
                ps.setTimestamp(1, Timestamp.valueOf(from.minusDays(1).atStartOfDay()));
                ps.setTimestamp(2, Timestamp.valueOf(to.plusDays(2).atStartOfDay()));
                ps.execute();
            }
            st.execute(BARE_CUSTOMER_DAYS);
            st.execute(BARE_CUSTOMER_STORES);
            sqlSeconds = (System.nanoTime() - t1) / 1e9;
            LOG.info(() -> String.format("bare SQL: %.1f s", sqlSeconds));
            long diff = count(st, "SELECT COUNT(*) FROM ((" + JOB_DAYS + " EXCEPT " + SQL_DAYS + ") UNION ALL ("
                    + SQL_DAYS + " EXCEPT " + JOB_DAYS + ")) x")
                    + count(st, "SELECT COUNT(*) FROM ((SELECT customer_id, store_id, local_day, visits FROM"
                            + " customer_store_day_aggregate EXCEPT SELECT * FROM bench_customer_day) UNION ALL"
                            + " (SELECT * FROM bench_customer_day EXCEPT SELECT customer_id, store_id, local_day, visits FROM"
                            + " customer_store_day_aggregate)) x")
                    + count(st, "SELECT COUNT(*) FROM ((SELECT customer_id, store_id, appearances, first_day, last_day FROM"
                            + " customer_store_aggregate EXCEPT SELECT * FROM bench_customer_store) UNION ALL"
                            + " (SELECT * FROM bench_customer_store EXCEPT SELECT customer_id, store_id, appearances, first_day,"
                            + " last_day FROM customer_store_aggregate)) x");
            equal = diff == 0;
            LOG.info(() -> "job rows vs bare SQL rows: " + (diff == 0 ? "identical" : diff + " rows differ"));
        }
        return new Result(visits, (long) stores.size() * (to.toEpochDay() - from.toEpochDay() + 1), chunks.get(), jobSeconds,
                sqlSeconds, equal);
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String LOCAL_START = "timezone(s.time_zone, timezone('UTC', v.started_at))";

    /** Per store and store-local day, over all stores at once (days with visits). */
    static final String BARE_STORE_DAYS = "CREATE TEMP TABLE bench_store_day AS"
            + " WITH vl AS (SELECT v.store_id, v.customer_id, CAST(FLOOR(EXTRACT(EPOCH FROM (v.ended_at - v.started_at)) * 1000)"
            + "   / 1000.0 AS DOUBLE PRECISION) AS dwell, " + LOCAL_START + " AS lt FROM visit v JOIN store s ON s.id = v.store_id"
            + "   WHERE v.started_at >= ? AND v.started_at < ?),"
            + " v AS (SELECT store_id, customer_id, dwell, CAST(lt AS DATE) AS d, CAST(EXTRACT(HOUR FROM lt) AS INTEGER) AS h FROM vl),"
            + " per_day AS (SELECT store_id, d, COUNT(*) AS visits, COUNT(DISTINCT customer_id) AS uniq, AVG(dwell) AS avg_dwell,"
            + "   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY dwell) AS median_dwell FROM v GROUP BY store_id, d),"
            + " firsts AS (SELECT v.store_id, CAST(timezone(s.time_zone, timezone('UTC', MIN(v.started_at))) AS DATE) AS d"
            + "   FROM visit v JOIN store s ON s.id = v.store_id GROUP BY v.store_id, v.customer_id, s.time_zone),"
            + " new_day AS (SELECT store_id, d, COUNT(*) AS new_c FROM firsts GROUP BY store_id, d),"
            + " busiest AS (SELECT DISTINCT ON (store_id, d) store_id, d, h FROM (SELECT store_id, d, h, COUNT(*) AS n FROM v"
            + "   GROUP BY store_id, d, h) t ORDER BY store_id, d, n DESC, h),"
            + " sight AS (SELECT g.store_id, CAST(timezone(s.time_zone, timezone('UTC', g.captured_at)) AS DATE) AS d, COUNT(*) AS n"
            + "   FROM sighting g JOIN store s ON s.id = g.store_id GROUP BY 1, 2)"
            + " SELECT p.store_id, p.d AS local_day, p.visits, p.uniq AS unique_customers, COALESCE(si.n, 0) AS sightings,"
            + " COALESCE(n.new_c, 0) AS new_customers, p.uniq - COALESCE(n.new_c, 0) AS returning_customers,"
            + " p.avg_dwell, p.median_dwell, b.h AS busiest_hour"
            + " FROM per_day p LEFT JOIN new_day n ON n.store_id = p.store_id AND n.d = p.d"
            + " LEFT JOIN busiest b ON b.store_id = p.store_id AND b.d = p.d"
            + " LEFT JOIN sight si ON si.store_id = p.store_id AND si.d = p.d";

    static final String BARE_CUSTOMER_DAYS = "CREATE TEMP TABLE bench_customer_day AS SELECT v.customer_id, v.store_id,"
            + " CAST(" + LOCAL_START + " AS DATE) AS local_day, CAST(COUNT(*) AS INTEGER) AS visits"
            + " FROM visit v JOIN store s ON s.id = v.store_id GROUP BY 1, 2, 3";

    static final String BARE_CUSTOMER_STORES = "CREATE TEMP TABLE bench_customer_store AS SELECT v.customer_id, v.store_id,"
            + " CAST(COUNT(*) AS INTEGER) AS appearances, MIN(CAST(" + LOCAL_START + " AS DATE)) AS first_day,"
            + " MAX(CAST(" + LOCAL_START + " AS DATE)) AS last_day FROM visit v JOIN store s ON s.id = v.store_id GROUP BY 1, 2";

    private static final String DAY_COLUMNS = "store_id, local_day, visits, unique_customers, sightings, new_customers,"
            + " returning_customers, ROUND(CAST(avg_dwell_seconds AS NUMERIC), 6), ROUND(CAST(median_dwell_seconds AS NUMERIC), 6),"
            + " busiest_hour";
    static final String JOB_DAYS = "SELECT " + DAY_COLUMNS + " FROM store_day_aggregate WHERE visits > 0";
    static final String SQL_DAYS = "SELECT " + DAY_COLUMNS.replace("avg_dwell_seconds", "avg_dwell")
            .replace("median_dwell_seconds", "median_dwell") + " FROM bench_store_day";
}
