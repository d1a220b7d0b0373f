package com.rva.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Logger;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes a realistic chain into PostgreSQL with COPY (pgjdbc {@code CopyManager}), streaming: regions,
 * stores (each with its time zone and a camera), customers, their visits and the sightings of each visit.
 * <ul>
 * <li>Customers have a home store (stores differ in popularity) and an activity level drawn from a Pareto
 * law: most come a few times a year, a few come every week. 80% of a customer's visits are to the home
 * store, 15% to another store of its region, 5% anywhere.</li>
 * <li>Visits fall on the store's opening hours (08:00-21:00 local, peaks at lunch and after work), more on
 * Fridays and Saturdays; dwell is log-normal (median 12 min, 1 min to 2 h).</li>
 * <li>Each visit has 1 to {@code maxSightings} sightings, the first at its start and the last at its end, so
 * dwell (first to last sighting) and {@code sighting_count} agree with the sighting rows.</li>
 * </ul>
 * Times are stored in UTC as the application stores them; days are the last {@code days} days before today.
 * The same seed gives the same data. Ids are reserved from {@code rva_id_seq}, so the application can go on
 * inserting afterwards.
 */
final class Generator {

    private static final Logger LOG = Logger.getLogger(Generator.class.getName());

    static final String[] ZONES = {"Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw",
        "Europe/Athens", "Europe/Helsinki", "Europe/Lisbon", "America/New_York", "America/Chicago", "America/Denver",
        "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Singapore", "Asia/Kolkata", "Australia/Sydney",
        "Africa/Johannesburg", "Europe/Istanbul", "Pacific/Auckland"};
    /** Relative weight of a visit starting at local hour 8..20. */
    private static final int[] HOUR_WEIGHTS = {2, 4, 6, 8, 10, 9, 7, 7, 8, 10, 10, 7, 4};
    /** Relative weight of a visit on Monday..Sunday. */
    private static final double[] WEEKDAY_WEIGHTS = {0.8, 0.85, 0.9, 0.95, 1.2, 1.4, 0.6};
    static final String REGION_PREFIX = "gen_r";
    static final String STORE_PREFIX = "gen_s";

    final long visits;
    final int stores;
    final int regions;
    final int days;
    final long customers;
    final int maxSightings;
    final long seed;
    final LocalDate firstDay;

    Generator(long visits, int stores, int regions, int days, long customers, int maxSightings, long seed, LocalDate today) {
        if (regions > stores) {
            throw new IllegalArgumentException("--regions (" + regions + ") cannot exceed --stores (" + stores + ")");
        }
        if (customers > visits) {
            throw new IllegalArgumentException("--customers (" + customers + ") cannot exceed --visits (" + visits + ")");
        }
        this.visits = visits;
        this.stores = stores;
        this.regions = regions;
        this.days = days;
        this.customers = customers;
        this.maxSightings = maxSightings;
        this.seed = seed;
        this.firstDay = today.minusDays(days);
    }

    /** What was written. */
    record Result(long customers, long visits, long sightings, double seconds) {
    }

    Result run(PgTarget target) throws SQLException, IOException {
        long t0 = System.nanoTime();
        long base;
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM region WHERE code LIKE '" + REGION_PREFIX + "%'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IllegalStateException("this database already holds generated data (regions "
                            + REGION_PREFIX + "*): generate into a fresh --state-dir or database");
                }
            }
            long reserve = regions + 2L * stores + customers + visits * (1 + maxSightings) + 1000;
            try (ResultSet rs = st.executeQuery("SELECT nextval('rva_id_seq')")) {
                rs.next();
                base = rs.getLong(1) + 100;
            }
            st.execute("SELECT setval('rva_id_seq', " + (base + reserve + 100) + ")");
            // monthly partitions for the whole range (the rest lands in the default partition)
            st.execute("SELECT rva_ensure_month_partitions('visit', 'started_at', DATE '" + firstDay.minusMonths(1)
                    + "', CURRENT_DATE + 93)");
            st.execute("SELECT rva_ensure_month_partitions('sighting', 'captured_at', DATE '" + firstDay.minusMonths(1)
                    + "', CURRENT_DATE + 93)");
            writeStores(c, base);
        }
        List<String> indexes = dropSecondaryIndexesIfEmpty(target);
        long regionBase = base;
        long storeBase = regionBase + regions;
        long cameraBase = storeBase + stores;
        long customerBase = cameraBase + stores;
        long visitBase = customerBase + customers;
        long sightingBase = visitBase + visits;
        LOG.info(() -> "Generating " + visits + " visits of " + customers + " customers to " + stores + " stores in "
                + regions + " regions over the " + days + " days " + firstDay + " .. " + firstDay.plusDays(days - 1)
                + " (seed " + seed + ")");

        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            try (Writer w = copy(c, "COPY customer (id, created_at) FROM STDIN")) {
                String created = ts(firstDay.atStartOfDay());
                StringBuilder sb = new StringBuilder(64);
                for (long i = 0; i < customers; i++) {
                    sb.setLength(0);
                    sb.append(customerBase + i).append('\t').append(created).append('\n');
                    w.append(sb);
                }
            }
            c.commit();
        }
        LOG.info(() -> customers + " customers written");

        Store[] storeList = stores(storeBase, cameraBase);
        double[] storeCumulative = new double[stores];
        SplittableRandom sr = new SplittableRandom(seed ^ 0x5EED);
        double sum = 0;
        for (int s = 0; s < stores; s++) {
            sum += Math.exp(sr.nextGaussian() * 0.5); // some stores are busier than others
            storeCumulative[s] = sum;
        }
        // the customers' activity weights: a first pass for their sum, the second (same seed) hands out visits
        double totalWeight = 0;
        SplittableRandom wr = new SplittableRandom(seed);
        for (long i = 0; i < customers; i++) {
            totalWeight += activity(wr);
        }
        long sightingsWritten = 0;
        long visitsWritten = 0;
        try (Connection vc = target.connect(); Connection sc = target.connect()) {
            vc.setAutoCommit(false);
            sc.setAutoCommit(false);
            skipForeignKeyChecks(vc);
            skipForeignKeyChecks(sc);
            try (Writer vw = copy(vc, "COPY visit (id, customer_id, store_id, started_at, ended_at, sighting_count) FROM STDIN");
                    Writer sw = copy(sc, "COPY sighting (id, duplicate_id, customer_id, store_id, camera_id, visit_id,"
                            + " captured_at, received_at, similarity, det_score, quality) FROM STDIN")) {
                wr = new SplittableRandom(seed);
                SplittableRandom r = new SplittableRandom(seed * 31 + 7);
                double cumulative = 0;
                long handedOut = 0;
                long lastLog = System.nanoTime();
                long lastLogVisits = 0;
                StringBuilder vb = new StringBuilder(128);
                StringBuilder sb = new StringBuilder(256);
                double storeSum = storeCumulative[stores - 1];
                long[] frameSeq = new long[stores];
                for (long i = 0; i < customers; i++) {
                    cumulative += activity(wr);
                    long upTo = i == customers - 1 ? visits : Math.min(visits, Math.round(visits * cumulative / totalWeight));
                    // every customer has at least one visit (customers <= visits); take it from the tail if needed
                    long k = Math.max(1, upTo - handedOut);
                    k = Math.min(k, visits - handedOut - (customers - 1 - i));
                    if (k <= 0) {
                        continue;
                    }
                    long customerId = customerBase + i;
                    int home = pick(storeCumulative, r.nextDouble() * storeSum);
                    for (long v = 0; v < k; v++) {
                        Store store = storeList[visitStore(r, home, storeList)];
                        LocalDate day = day(r);
                        int hour = 8 + pickHour(r);
                        LocalDateTime localStart = day.atTime(hour, r.nextInt(60), r.nextInt(60));
                        LocalDateTime start = ZonedDateTime.of(localStart, store.zone)
                                .withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
                        int n = 1 + r.nextInt(maxSightings);
                        long dwell = n == 1 ? 0 : Math.max(60, Math.min(7200,
                                Math.round(720 * Math.exp(0.6 * r.nextGaussian()))));
                        LocalDateTime end = start.plusSeconds(dwell);
                        long visitId = visitBase + handedOut + v;
                        vb.setLength(0);
                        vb.append(visitId).append('\t').append(customerId).append('\t').append(store.id).append('\t')
                                .append(ts(start)).append('\t').append(ts(end)).append('\t').append(n).append('\n');
                        vw.append(vb);
                        for (int j = 0; j < n; j++) {
                            LocalDateTime at = n == 1 ? start : start.plusSeconds(dwell * j / (n - 1));
                            long seq = ++frameSeq[store.index];
                            sb.setLength(0);
                            sb.append(sightingBase + sightingsWritten).append('\t')
                                    .append(store.code).append("/cam-1/").append(seq).append("/0\t")
                                    .append(customerId).append('\t').append(store.id).append('\t').append(store.cameraId)
                                    .append('\t').append(visitId).append('\t').append(ts(at)).append('\t')
                                    .append(ts(at.plusSeconds(2))).append('\t')
                                    .append(0.55 + r.nextInt(40) / 100.0).append('\t')
                                    .append(0.8 + r.nextInt(20) / 100.0).append('\t')
                                    .append(0.6 + r.nextInt(40) / 100.0).append('\n');
                            sw.append(sb);
                            sightingsWritten++;
                        }
                    }
                    handedOut += k;
                    long now = System.nanoTime();
                    if (now - lastLog > 5_000_000_000L) {
                        long done = handedOut;
                        double rate = (done - lastLogVisits) / ((now - lastLog) / 1e9);
                        long sightingsSoFar = sightingsWritten;
                        LOG.info(() -> String.format("generate progress: %,d of %,d visits (%.0f%%), %,d sightings; %,.0f visits/s",
                                done, visits, 100.0 * done / visits, sightingsSoFar, rate));
                        lastLog = now;
                        lastLogVisits = done;
                    }
                }
                visitsWritten = handedOut;
            }
            vc.commit();
            sc.commit();
        }
        long vDone = visitsWritten;
        long sDone = sightingsWritten;
        LOG.info(() -> "COPY done: " + vDone + " visits, " + sDone + " sightings");
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            for (String def : indexes) {
                long t = System.nanoTime();
                st.execute(def);
                LOG.info(() -> String.format("rebuilt in %.1f s: %s", (System.nanoTime() - t) / 1e9, def));
            }
            LOG.info("analysing");
            st.execute("ANALYZE customer");
            st.execute("ANALYZE visit");
            st.execute("ANALYZE sighting");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(customers, vDone, sDone, seconds);
    }

    /**
     * A bulk load into empty tables is faster without their secondary indexes: when visit and sighting are
     * empty, their {@code ix_*} indexes are dropped and their exact definitions returned, to be built again
     * after the load (primary and unique keys stay). Otherwise nothing is dropped.
     */
    private static List<String> dropSecondaryIndexesIfEmpty(PgTarget target) throws SQLException {
        List<String> defs = new java.util.ArrayList<>();
        try (Connection c = target.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM visit LIMIT 1) a)"
                    + " + (SELECT COUNT(*) FROM (SELECT 1 FROM sighting LIMIT 1) b)")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return defs;
                }
            }
            List<String> names = new java.util.ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename IN ('visit', 'sighting') AND indexname LIKE 'ix\\_%' ORDER BY indexname")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    // a partitioned table's index reads "ON ONLY parent": built like that it would skip the partitions
                    defs.add(rs.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
            for (String name : names) {
                st.execute("DROP INDEX " + name);
            }
            LOG.info(() -> "Empty tables: " + names.size() + " secondary indexes dropped for the load, rebuilt after it " + names);
        }
        return defs;
    }

    /**
     * The rows are consistent by construction (customers, stores and cameras are written first), so the bulk
     * load skips the per-row foreign-key triggers, which otherwise run millions of look-ups at the end of each
     * COPY. Needs a superuser (the embedded database's is); without one the checks stay on.
     */
    private static void skipForeignKeyChecks(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL session_replication_role = replica");
        } catch (SQLException e) {
            LOG.info(() -> "foreign-key checks stay on during the load (" + e.getMessage().strip() + ")");
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the next statement reports a broken connection
            }
        }
    }

    /** A customer's relative activity: Pareto (alpha 1.5), so most come rarely and a few very often. */
    private static double activity(SplittableRandom r) {
        return Math.min(200, Math.pow(1 - r.nextDouble(), -1 / 1.5));
    }

    private int visitStore(SplittableRandom r, int home, Store[] list) {
        double p = r.nextDouble();
        if (p < 0.80) {
            return home;
        }
        if (p < 0.95) {
            // another store of the home store's region: stores are dealt to regions round-robin
            int region = list[home].region;
            int inRegion = (stores - 1 - region) / regions + 1;
            return region + regions * r.nextInt(inRegion);
        }
        return r.nextInt(stores);
    }

    private LocalDate day(SplittableRandom r) {
        while (true) {
            LocalDate d = firstDay.plusDays(r.nextInt(days));
            if (r.nextDouble() * 1.4 < WEEKDAY_WEIGHTS[d.getDayOfWeek().getValue() - 1]) {
                return d;
            }
        }
    }

    private static int pickHour(SplittableRandom r) {
        int total = 0;
        for (int w : HOUR_WEIGHTS) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int h = 0; h < HOUR_WEIGHTS.length; h++) {
            x -= HOUR_WEIGHTS[h];
            if (x < 0) {
                return h;
            }
        }
        return HOUR_WEIGHTS.length - 1;
    }

    private static int pick(double[] cumulative, double x) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    record Store(int index, long id, String code, long cameraId, int region, ZoneId zone) {
    }

    static String storeCode(int s) {
        return String.format("%s%04d", STORE_PREFIX, s + 1);
    }

    static String regionCode(int r) {
        return String.format("%s%02d", REGION_PREFIX, r + 1);
    }

    private Store[] stores(long storeBase, long cameraBase) {
        Store[] list = new Store[stores];
        for (int s = 0; s < stores; s++) {
            int region = s % regions;
            list[s] = new Store(s, storeBase + s, storeCode(s), cameraBase + s, region, ZoneId.of(ZONES[region % ZONES.length]));
        }
        return list;
    }

    private void writeStores(Connection c, long base) throws SQLException {
        long storeBase = base + regions;
        long cameraBase = storeBase + stores;
        try (PreparedStatement pr = c.prepareStatement("INSERT INTO region (id, code, name) VALUES (?, ?, ?)");
                PreparedStatement ps = c.prepareStatement("INSERT INTO store (id, code, name, region_id, time_zone) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement pc = c.prepareStatement("INSERT INTO camera (id, store_id, code, name) VALUES (?, ?, 'cam-1', 'Entrance')")) {
            for (int r = 0; r < regions; r++) {
                pr.setLong(1, base + r);
                pr.setString(2, regionCode(r));
                pr.setString(3, "Generated region " + (r + 1) + " (" + ZONES[r % ZONES.length] + ")");
                pr.addBatch();
            }
            pr.executeBatch();
            for (Store s : stores(storeBase, cameraBase)) {
                ps.setLong(1, s.id);
                ps.setString(2, s.code);
                ps.setString(3, "Generated store " + (s.index + 1));
                ps.setLong(4, base + s.region);
                ps.setString(5, s.zone.getId());
                ps.addBatch();
                pc.setLong(1, s.cameraId);
                pc.setLong(2, s.id);
                pc.addBatch();
            }
            ps.executeBatch();
            pc.executeBatch();
        }
    }

    private static Writer copy(Connection c, String sql) throws SQLException {
        return new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 20),
                StandardCharsets.UTF_8), 1 << 20);
    }

    /** yyyy-MM-dd HH:mm:ss, without the cost of a formatter. */
    static String ts(LocalDateTime t) {
        char[] b = new char[19];
        put(b, 0, t.getYear(), 4);
        b[4] = '-';
        put(b, 5, t.getMonthValue(), 2);
        b[7] = '-';
        put(b, 8, t.getDayOfMonth(), 2);
        b[10] = ' ';
        put(b, 11, t.getHour(), 2);
        b[13] = ':';
        put(b, 14, t.getMinute(), 2);
        b[16] = ':';
        put(b, 17, t.getSecond(), 2);
        return new String(b);
    }

    private static void put(char[] b, int at, int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            b[at + i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    static List<String> storeCodes(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(Generator::storeCode).toList();
    }
}
