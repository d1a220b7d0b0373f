package com.rva.it.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * Reads the job's aggregate tables and recounts the same figures straight from visit and sighting with
 * SQL of its own (H2's time-zone conversion, not the job's Java windows), for comparison.
 * Rows are rendered as sorted strings so a mismatch shows which row differs.
 */
final class AggregateTables {

    /**
     * The store-local date of a UTC TIMESTAMP column, whatever the session's time zone (H2 2.x).
     * {@code ||} keeps the NULL of an outer join NULL; CONCAT would turn it into '+00:00'.
     */
    private static String localDate(String utcColumn) {
        return "CAST(LEFT(CAST(CAST(CAST(" + utcColumn + " AS VARCHAR) || '+00:00' AS TIMESTAMP WITH TIME ZONE)"
                + " AT TIME ZONE st.time_zone AS VARCHAR), 10) AS DATE)";
    }

    private final DataSource ds;

    AggregateTables(DataSource ds) {
        this.ds = ds;
    }

    /** The store-local hour of a UTC TIMESTAMP column. */
    private static String localHour(String utcColumn) {
        return "EXTRACT(HOUR FROM CAST(CAST(" + utcColumn + " AS VARCHAR) || '+00:00' AS TIMESTAMP WITH TIME ZONE)"
                + " AT TIME ZONE st.time_zone)";
    }

    private static final String DWELL = "DATEDIFF(MILLISECOND, v.started_at, v.ended_at) / 1000.0";

    /**
     * "store_id visits=.. customers=.. new=.. returning=.. dwell avg=.. median=.. busiest=.. sightings=.." per row
     * of store_day_aggregate for the day.
     */
    List<String> storeRows(LocalDate day) throws SQLException {
        return strings("SELECT store_id, visits, unique_customers, sightings, new_customers, returning_customers,"
                + " avg_dwell_seconds, median_dwell_seconds, busiest_hour FROM store_day_aggregate WHERE local_day = ?",
                day, r -> row(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(5), r.getLong(6),
                        (Number) r.getObject(7), (Number) r.getObject(8), (Number) r.getObject(9), r.getLong(4)));
    }

    private static String row(long store, long visits, long customers, long newOnes, long returning, Number avg,
            Number median, Number busiest, long sightings) {
        return store + " visits=" + visits + " customers=" + customers + " new=" + newOnes + " returning=" + returning
                + " dwell avg=" + seconds(avg) + " median=" + seconds(median) + " busiest=" + busiest
                + " sightings=" + sightings;
    }

    private static String seconds(Number n) {
        return n == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", n.doubleValue());
    }

    /** The same figures recounted from visit and sighting with SQL, for the given stores (null: all stores). */
    List<String> storeRecount(LocalDate day, List<Long> storeIds) throws SQLException {
        Map<Long, Object[]> byStore = new TreeMap<>();
        query("SELECT st.id, COUNT(v.id), COUNT(DISTINCT v.customer_id), AVG(" + DWELL + "),"
                + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + DWELL + ") FROM store st LEFT JOIN visit v"
                + " ON v.store_id = st.id AND " + localDate("v.started_at") + " = ? GROUP BY st.id", day,
                r -> byStore.put(r.getLong(1), new Object[] {r.getLong(2), r.getLong(3), 0L, 0L,
                        (Number) r.getObject(4), (Number) r.getObject(5), null, 0L}));
        // returning: the customer had visited the same store on an earlier local day
        query("SELECT st.id, COUNT(DISTINCT v.customer_id) FROM visit v JOIN store st ON st.id = v.store_id WHERE "
                + localDate("v.started_at") + " = ? AND EXISTS (SELECT 1 FROM visit p WHERE p.customer_id = v.customer_id"
                + " AND p.store_id = v.store_id AND " + localDate("p.started_at") + " < "
                + localDate("v.started_at") + ") GROUP BY st.id", day,
                r -> byStore.get(r.getLong(1))[3] = r.getLong(2));
        // busiest hour: most visits started in it, the earliest hour on a tie
        query("SELECT st.id, " + localHour("v.started_at") + " AS h, COUNT(*) FROM visit v JOIN store st"
                + " ON st.id = v.store_id WHERE " + localDate("v.started_at") + " = ? GROUP BY st.id, h"
                + " ORDER BY st.id, COUNT(*) DESC, h", day, r -> {
                    Object[] c = byStore.get(r.getLong(1));
                    if (c[6] == null) {
                        c[6] = r.getInt(2);
                    }
                });
        query("SELECT st.id, COUNT(s.id) FROM store st LEFT JOIN sighting s"
                + " ON s.store_id = st.id AND " + localDate("s.captured_at") + " = ? GROUP BY st.id", day,
                r -> byStore.get(r.getLong(1))[7] = r.getLong(2));
        List<String> rows = new ArrayList<>();
        byStore.forEach((id, c) -> {
            if (storeIds == null || storeIds.contains(id)) {
                long customers = (Long) c[1];
                long returning = (Long) c[3];
                rows.add(row(id, (Long) c[0], customers, customers - returning, returning, (Number) c[4], (Number) c[5],
                        (Number) c[6], (Long) c[7]));
            }
        });
        rows.sort(null);
        return rows;
    }

    /** "customer_id@store_id appearances=.. first..last" per row of customer_store_aggregate, for the customers. */
    List<String> appearancesToDate(List<Long> customerIds) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (long id : customerIds) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT customer_id,"
                    + " store_id, appearances, first_day, last_day FROM customer_store_aggregate WHERE customer_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        rows.add(r.getLong(1) + "@" + r.getLong(2) + " appearances=" + r.getInt(3) + " "
                                + r.getObject(4, LocalDate.class) + ".." + r.getObject(5, LocalDate.class));
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    /** "customer_id@store_id visits=.." per row of customer_store_day_aggregate for the day. */
    List<String> customerRows(LocalDate day) throws SQLException {
        return strings("SELECT customer_id, store_id, visits FROM customer_store_day_aggregate WHERE local_day = ?", day,
                r -> r.getLong(1) + "@" + r.getLong(2) + " visits=" + r.getInt(3));
    }

    List<String> customerRecount(LocalDate day) throws SQLException {
        return strings("SELECT v.customer_id, v.store_id, COUNT(*) FROM visit v JOIN store st ON st.id = v.store_id"
                + " WHERE " + localDate("v.started_at") + " = ? GROUP BY v.customer_id, v.store_id", day,
                r -> r.getLong(1) + "@" + r.getLong(2) + " visits=" + r.getLong(3));
    }

    /** computed_at per store for the day. */
    Map<Long, Timestamp> computedAt(LocalDate day) throws SQLException {
        Map<Long, Timestamp> result = new TreeMap<>();
        query("SELECT store_id, computed_at FROM store_day_aggregate WHERE local_day = ?", day,
                r -> result.put(r.getLong(1), r.getTimestamp(2)));
        return result;
    }

    /** The execution the scheduler last started for a job (waits a little: the timer's tick may be starting it). */
    long scheduleExecution(String jobName) throws SQLException, InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                return lastExecution(jobName);
            } catch (AssertionError e) {
                Thread.sleep(100);
            }
        }
        return lastExecution(jobName);
    }

    private long lastExecution(String jobName) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT last_execution_id FROM job_schedule WHERE job_name = ?")) {
            ps.setString(1, jobName);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                long id = r.getLong(1);
                if (r.wasNull()) {
                    throw new AssertionError("the scheduler started no " + jobName);
                }
                return id;
            }
        }
    }

    void update(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private interface RowReader {
        void read(ResultSet r) throws SQLException;
    }

    private interface RowMapper {
        String map(ResultSet r) throws SQLException;
    }

    private List<String> strings(String sql, LocalDate day, RowMapper mapper) throws SQLException {
        List<String> rows = new ArrayList<>();
        query(sql, day, r -> rows.add(mapper.map(r)));
        rows.sort(null);
        return rows;
    }

    private void query(String sql, LocalDate day, RowReader reader) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, day);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    reader.read(r);
                }
            }
        }
    }
}
