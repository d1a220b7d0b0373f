package com.rva.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rva.application.analytics.CustomerDayCodec;

/**
 * {@code ./rva bench aggregates}: a real JBeret execution of {@code daily-aggregates} in WildFly over every generated
 * day, against the bare SQL {@code GROUP BY}s that compute the same numbers, in the same run.
 * <p>
 * The job side: the aggregate tables are emptied (so every store-day is computed, as a first backfill), the server is
 * started on the bench database ({@link BenchServer}), and the job is started through the product's REST API as an
 * admin ({@code POST /api/v1/jobs/daily-aggregates?from=&day=&partitions=&storesPerChunk=}, {@code from} .. {@code day}
 * covering every store-local day of the data) and polled until it ends. Its time is the execution's own (start to
 * end, as JBeret records it); the wall time from the POST to seeing it COMPLETED is printed too. The server is then
 * stopped and the bare SQL runs on one connection: store-days, customer-days and appearances to date (the job's
 * tables) and the portal's per-UTC-day customer sets ({@code portal_store_day}, which the job writes in the same
 * chunks), into temp tables. Both results are compared row by row (the portal's customer sets decoded). Last line:
 * {@code BENCH aggregates visits=... job_s=... wall_s=... sql_s=... ratio=... rows_per_s=... equal=...}.
 */
final class AggregatesBench {

    private static final Logger LOG = Logger.getLogger(AggregatesBench.class.getName());

    static final String ADMIN_USER = "rva_bench_jobs";

    record Result(long visits, long storeDays, long executionId, double jobSeconds, double wallSeconds,
            double sqlSeconds, boolean equal) {
        double ratio() {
            return jobSeconds / sqlSeconds;
        }
    }

    private final PgTarget target;
    private final BenchServer.Build build;
    private final Path work;
    private final int portOffset;
    private final int startupSeconds;
    private final int partitions;
    private final int storesPerChunk;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AggregatesBench(PgTarget target, BenchServer.Build build, Path work, int portOffset, int startupSeconds,
            int partitions, int storesPerChunk) {
        this.target = target;
        this.build = build;
        this.work = work;
        this.portOffset = portOffset;
        this.startupSeconds = startupSeconds;
        this.partitions = partitions;
        this.storesPerChunk = storesPerChunk;
    }

    Result run() throws Exception {
        build.check();
        long stores;
        long visits;
        LocalDate from;
        LocalDate to;
        String password = BenchServer.randomPassword();
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            stores = count(st, "SELECT COUNT(*) FROM store");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(started_at), MAX(started_at) FROM visit")) {
                rs.next();
                visits = rs.getLong(1);
                if (visits == 0) {
                    throw new IllegalArgumentException("no visits in the database: run ./rva generate first");
                }
                // every store-local day that can hold a visit, in any time zone; the job refuses days after today
                from = rs.getTimestamp(2).toLocalDateTime().toLocalDate().minusDays(1);
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                LocalDate last = rs.getTimestamp(3).toLocalDateTime().toLocalDate().plusDays(1);
                to = last.isAfter(today) ? today : last;
            }
            // a first backfill: nothing computed yet, so the job computes every store-day (and a former run's rows
            // cannot make its deletes cheaper or dearer)
            c.setAutoCommit(false);
            st.execute("TRUNCATE store_day_aggregate, customer_store_day_aggregate, customer_store_aggregate,"
                    + " portal_store_day, portal_store_watermark");
            BenchServer.disableSchedules(c);
            BenchServer.upsertUser(c, ADMIN_USER, "ADMIN", "Aggregates benchmark", password);
            c.commit();
            c.setAutoCommit(true);
            // visibility maps set, as autovacuum leaves insert-only tables: index-only scans for the job (the bare SQL
            // reads whole tables either way); not timed
            long tv = System.nanoTime();
            st.execute("VACUUM (ANALYZE) visit, sighting, store_day_aggregate, customer_store_day_aggregate,"
                    + " customer_store_aggregate, portal_store_day");
            LOG.info(() -> String.format("aggregate tables emptied; vacuum analyze: %.1f s (not timed)",
                    (System.nanoTime() - tv) / 1e9));
        }
        long storeDays = stores * (to.toEpochDay() - from.toEpochDay() + 1);
        LOG.info(() -> String.format("bench aggregates: %,d visits, %d stores, store-local days %s .. %s (%,d store-days)",
                visits, stores, from, to, storeDays));

        long executionId;
        double jobSeconds;
        double wallSeconds;
        try (BenchServer server = BenchServer.start(build, target, work, portOffset, startupSeconds, password)) {
            String auth = "Basic " + Base64.getEncoder().encodeToString((ADMIN_USER + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            String api = server.base() + "api/v1/jobs/";
            long t0 = System.nanoTime();
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(api + "daily-aggregates?from=" + from
                    + "&day=" + to + "&partitions=" + partitions + "&storesPerChunk=" + storesPerChunk))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", auth).header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                throw new IllegalStateException("POST /api/v1/jobs/daily-aggregates: HTTP " + started.statusCode() + " "
                        + started.body());
            }
            executionId = Long.parseLong(field(started.body(), "executionId"));
            LOG.info(() -> "daily-aggregates started through the REST API: execution " + executionId + " (" + from
                    + " .. " + to + ", " + partitions + " partitions, " + storesPerChunk + " stores per chunk)");
            String body;
            long lastLog = System.nanoTime();
            try (Connection c = target.connect(); Statement st = c.createStatement()) {
                while (true) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "executions/" + executionId))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", auth)
                            .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET execution " + executionId + ": HTTP " + r.statusCode() + " "
                                + r.body());
                    }
                    body = r.body();
                    String status = field(body, "batchStatus");
                    if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
                        if (!status.equals("COMPLETED")) {
                            throw new IllegalStateException("daily-aggregates execution " + executionId + " ended "
                                    + status + " (" + field(body, "exitStatus") + "); see " + server.log());
                        }
                        break;
                    }
                    if (!server.alive()) {
                        throw new IllegalStateException("WildFly exited during the job; see " + server.log());
                    }
                    if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(30)) {
                        lastLog = System.nanoTime();
                        long written = count(st, "SELECT COUNT(*) FROM store_day_aggregate");
                        double s = (lastLog - t0) / 1e9;
                        LOG.info(() -> String.format("daily-aggregates %s: %,d of %,d store-days written (%.0f %%), %.0f s",
                                status, written, storeDays, 100.0 * written / storeDays, s));
                    }
                    Thread.sleep(1000);
                }
            }
            wallSeconds = (System.nanoTime() - t0) / 1e9;
            jobSeconds = Duration.between(time(field(body, "startedAt")), time(field(body, "endedAt"))).toMillis() / 1e3;
            String exit = field(body, "exitStatus");
            LOG.info(() -> String.format("daily-aggregates COMPLETED (%s): %.1f s by the execution, %.1f s wall", exit,
                    jobSeconds, wallSeconds));
        }

        boolean equal;
        double sqlSeconds;
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            for (String t : new String[] {"bench_store_day", "bench_customer_day", "bench_customer_store",
                "bench_portal_customer_day", "bench_portal_day"}) {
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
            st.execute(BARE_PORTAL_CUSTOMER_DAYS);
            st.execute(BARE_PORTAL_DAYS);
            sqlSeconds = (System.nanoTime() - t1) / 1e9;
            LOG.info(() -> String.format("bare SQL: %.1f s", sqlSeconds));
            long diff = count(st, "SELECT COUNT(*) FROM ((" + JOB_DAYS + " EXCEPT " + SQL_DAYS + ") UNION ALL ("
                    + SQL_DAYS + " EXCEPT " + JOB_DAYS + ")) x");
            diff += count(st, "SELECT COUNT(*) FROM ((SELECT customer_id, store_id, local_day, visits FROM"
                    + " customer_store_day_aggregate EXCEPT SELECT * FROM bench_customer_day) UNION ALL"
                    + " (SELECT * FROM bench_customer_day EXCEPT SELECT customer_id, store_id, local_day, visits FROM"
                    + " customer_store_day_aggregate)) x");
            diff += count(st, "SELECT COUNT(*) FROM ((SELECT customer_id, store_id, appearances, first_day, last_day FROM"
                    + " customer_store_aggregate EXCEPT SELECT * FROM bench_customer_store) UNION ALL"
                    + " (SELECT * FROM bench_customer_store EXCEPT SELECT customer_id, store_id, appearances, first_day,"
                    + " last_day FROM customer_store_aggregate)) x");
            String jobPortal = "SELECT store_id, utc_day, visits, sightings, customers FROM portal_store_day WHERE visits > 0";
            String sqlPortal = "SELECT store_id, utc_day, visits, sightings, customers FROM bench_portal_day";
            diff += count(st, "SELECT COUNT(*) FROM ((" + jobPortal + " EXCEPT " + sqlPortal + ") UNION ALL (" + sqlPortal
                    + " EXCEPT " + jobPortal + ")) x");
            // a store-day row for every UTC day the job covered, days without visits included
            diff += count(st, "SELECT COUNT(*) FROM portal_store_day WHERE visits = 0 AND (customers <> 0"
                    + " OR octet_length(customer_visits) <> 0)");
            long sets = customerSetsDiffer(c);
            diff += sets;
            long differ = diff;
            equal = differ == 0;
            LOG.info(() -> "job rows vs bare SQL rows: " + (differ == 0 ? "identical" : differ + " rows differ ("
                    + sets + " of them the portal's customer sets)"));
        }
        return new Result(visits, storeDays, executionId, jobSeconds, wallSeconds, sqlSeconds, equal);
    }

    /**
     * The portal's customer sets: every job row's {@code customer_visits} decoded and walked beside the bare SQL's
     * customer-days of the same store and UTC day (both in store, day, customer order); the rows that differ.
     */
    private static long customerSetsDiffer(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // cursors
        long differ = 0;
        try (Statement jobSt = c.createStatement(); Statement sqlSt = c.createStatement()) {
            jobSt.setFetchSize(1000);
            sqlSt.setFetchSize(20_000);
            try (ResultSet job = jobSt.executeQuery("SELECT store_id, utc_day, customer_visits FROM portal_store_day"
                    + " WHERE visits > 0 ORDER BY store_id, utc_day");
                    ResultSet sql = sqlSt.executeQuery("SELECT store_id, utc_day, customer_id, visits, sightings"
                            + " FROM bench_portal_customer_day ORDER BY store_id, utc_day, customer_id")) {
                boolean more = sql.next();
                while (job.next()) {
                    long store = job.getLong(1);
                    LocalDate day = job.getObject(2, LocalDate.class);
                    List<long[]> jobRows = new ArrayList<>();
                    CustomerDayCodec.decode(job.getBytes(3), (id, v, s) -> jobRows.add(new long[] {id, v, s}));
                    // the bare rows before this store-day have no job row
                    while (more && before(sql.getLong(1), sql.getObject(2, LocalDate.class), store, day)) {
                        differ++;
                        more = sql.next();
                    }
                    int i = 0;
                    while (more && sql.getLong(1) == store && sql.getObject(2, LocalDate.class).equals(day)) {
                        long[] r = {sql.getLong(3), sql.getLong(4), sql.getLong(5)};
                        if (i >= jobRows.size() || !java.util.Arrays.equals(jobRows.get(i), r)) {
                            differ++;
                        }
                        i++;
                        more = sql.next();
                    }
                    differ += Math.max(0, jobRows.size() - i);
                }
                while (more) {
                    differ++;
                    more = sql.next();
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
        return differ;
    }

    private static boolean before(long store, LocalDate day, long otherStore, LocalDate otherDay) {
        return store < otherStore || store == otherStore && day.isBefore(otherDay);
    }

    /** A top-level string or number field of a flat JSON object (the jobs API's execution). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([-0-9.]+)|null)")
                .matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static OffsetDateTime time(String value) {
        if (value == null) {
            throw new IllegalStateException("the execution has no start or end time");
        }
        int zone = value.indexOf('[');
        return OffsetDateTime.parse(zone < 0 ? value : value.substring(0, zone));
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

    /** The portal's customer set of each store and UTC day: per customer its visits and sightings that day. */
    static final String BARE_PORTAL_CUSTOMER_DAYS = "CREATE TEMP TABLE bench_portal_customer_day AS SELECT v.store_id,"
            + " CAST(v.started_at AS DATE) AS utc_day, v.customer_id, COUNT(*) AS visits, SUM(v.sighting_count) AS sightings"
            + " FROM visit v GROUP BY 1, 2, 3";

    /** The portal's store x UTC-day figures, from those sets. */
    static final String BARE_PORTAL_DAYS = "CREATE TEMP TABLE bench_portal_day AS SELECT store_id, utc_day,"
            + " SUM(visits) AS visits, SUM(sightings) AS sightings, COUNT(*) AS customers FROM bench_portal_customer_day"
            + " GROUP BY 1, 2";

    private static final String DAY_COLUMNS = "store_id, local_day, visits, unique_customers, sightings, new_customers,"
            + " returning_customers, ROUND(CAST(avg_dwell_seconds AS NUMERIC), 6), ROUND(CAST(median_dwell_seconds AS NUMERIC), 6),"
            + " busiest_hour";
    static final String JOB_DAYS = "SELECT " + DAY_COLUMNS + " FROM store_day_aggregate WHERE visits > 0";
    static final String SQL_DAYS = "SELECT " + DAY_COLUMNS.replace("avg_dwell_seconds", "avg_dwell")
            .replace("median_dwell_seconds", "median_dwell") + " FROM bench_store_day";
}
