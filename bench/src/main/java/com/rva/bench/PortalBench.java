package com.rva.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code ./rva bench portal}: full HTTP requests of the portal's dashboard and customers pages, timed as a browser
 * gets them, from a real WildFly with the application on the PostgreSQL the generator filled.
 * <p>
 * The server is a copy of the built one, switched to that database with the README's {@code postgresql.cli} (as
 * {@code PostgresqlServerIT} does) and started as {@code ./rva demo} starts it. Three portal users log in through
 * the login form: an ADMIN (every store), a REGIONAL_MANAGER (the stores of one region) and a STORE_MANAGER (one
 * store), whose scopes give the queries different store lists. For each, the dashboard and the customers page (its
 * lazy table's first page comes with the GET) of one calendar month are requested after a warm-up, one at a time.
 * <p>
 * The baseline, measured in the same run: the bare SQL of the same page over JDBC (what the services ask the
 * database for that page, in the same scope), so the ratio shows what the server adds; the goal (p95 &le; 300 ms)
 * is printed next to it.
 */
final class PortalBench {

    private static final Logger LOG = Logger.getLogger(PortalBench.class.getName());

    static final double GOAL_P95_MS = 300;
    static final String ADMIN_USER = "rva_bench_admin";
    static final String REGIONAL_USER = "rva_bench_regional";
    static final String STORE_USER = "rva_bench_store";

    /** One role's scope: who logs in and which store ids the services will restrict its queries to (null: all). */
    record Role(String label, String username, String role, List<Long> storeIds) {
    }

    /** Timings of one page for one role, in ms. */
    record Timings(String page, String role, double[] portalMs, double[] sqlMs) {
        double portal(double q) {
            return percentile(portalMs, q);
        }

        double sql(double q) {
            return percentile(sqlMs, q);
        }
    }

    record Result(long visits, YearMonth month, List<Timings> timings) {
        double p(String page, double q, boolean portal) {
            double[] all = timings.stream().filter(t -> t.page.equals(page))
                    .flatMapToDouble(t -> Arrays.stream(portal ? t.portalMs : t.sqlMs)).toArray();
            return percentile(all, q);
        }
    }

    /** Nearest-rank percentile of {@code values} (q in 0..1). */
    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private final PgTarget target;
    private final BenchServer.Build build;
    private final Path work;
    private final int portOffset;
    private final int warmup;
    private final int requests;
    private final YearMonth month;
    private final int startupSeconds;
    private final String portalDays;
    private final Diagnostics diagnostics;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    PortalBench(PgTarget target, BenchServer.Build build, Path work, int portOffset, int warmup,
            int requests, YearMonth month, int startupSeconds, String portalDays, Diagnostics diagnostics) {
        this.target = target;
        this.build = build;
        this.work = work;
        this.portOffset = portOffset;
        this.warmup = warmup;
        this.requests = requests;
        this.month = month;
        this.startupSeconds = startupSeconds;
        this.portalDays = portalDays;
        this.diagnostics = diagnostics;
    }

    /**
     * What the bench can ask the server for besides the timings: {@code timing} makes the services log each
     * request's phases ({@code -Drva.portal.timing=true}: "portal-timing" lines in the server log); {@code jfr} records
     * the server with Java Flight Recorder into {@code portal.jfr} in the work directory; {@code roles}, when not
     * empty, limits the run to the roles whose label starts with one of them ({@code admin}, {@code regional},
     * {@code store}); {@code mergeThreads}, when above 0, the parts a large merge of precomputed days runs in
     * ({@code -Drva.portal.merge-threads}; 1 = the request thread alone), so one sitting can compare them.
     */
    record Diagnostics(boolean timing, boolean jfr, List<String> roles, int mergeThreads) {
        static final Diagnostics NONE = new Diagnostics(false, false, List.of(), 0);

        Diagnostics(boolean timing, boolean jfr, List<String> roles) {
            this(timing, jfr, roles, 0);
        }

        /** The server's system properties these ask for. */
        List<String> serverProperties() {
            List<String> p = new ArrayList<>(List.of("-Drva.portal.timing=" + timing));
            if (mergeThreads > 0) {
                p.add("-Drva.portal.merge-threads=" + mergeThreads);
            }
            return p;
        }

        boolean wants(Role role) {
            return roles.isEmpty() || roles.stream().anyMatch(role.label::startsWith);
        }
    }

    Result run() throws Exception {
        build.check();
        long visits;
        YearMonth m;
        List<Role> roles;
        String password = BenchServer.randomPassword();
        try (Connection c = target.connect()) {
            visits = count(c, "SELECT COUNT(*) FROM visit");
            if (count(c, "SELECT COUNT(*) FROM region WHERE code LIKE '" + Generator.REGION_PREFIX + "%'") == 0) {
                throw new IllegalArgumentException("no generated data in this database: run ./rva generate first");
            }
            m = month != null ? month : lastFullMonth(c);
            roles = setUpUsers(c, password);
            // a scheduled job (daily-aggregates at 02:30) must not run during the measurement
            BenchServer.disableSchedules(c);
        }
        try (Connection c = target.connect()) {
            preparePortalDays(c, portalDays);
        }
        LOG.info(() -> String.format("%,d visits; month %s; %d warm-up + %d timed requests per page and role", visits, m,
                warmup, requests));

        List<Timings> timings = new ArrayList<>();
        try (BenchServer server = BenchServer.start(build, target, work, portOffset, startupSeconds, password,
                diagnostics.serverProperties(), diagnostics.jfr() ? work.resolve("portal.jfr") : null)) {
            String base = server.base();
            for (Role role : roles) {
                if (!diagnostics.wants(role)) {
                    continue;
                }
                String session = login(base, role.username, password);
                String range = "from=" + m.atDay(1) + "&to=" + m.atEndOfMonth();
                String dashboard = base + "dashboard.xhtml?" + range;
                String customers = base + "customers.xhtml?" + range;
                // the results of the page must be the database's: the visits KPI against a bare count
                String page = get(dashboard, session);
                long kpi = kpi(page, "kpi-visits");
                try (Connection c = target.connect()) {
                    long expected = BareSql.visits(c, m, role.storeIds);
                    if (kpi != expected) {
                        throw new IllegalStateException(role.label + ": the dashboard shows " + kpi
                                + " visits, the database counts " + expected);
                    }
                }
                String customersPage = get(customers, session);
                LOG.info(() -> String.format("%s: dashboard page %,d bytes, customers page %,d bytes", role.label,
                        page.length(), customersPage.length()));
                if (!customersPage.contains("data-ri=\"0\"")) {
                    throw new IllegalStateException(role.label + ": the customers page came without table rows"
                            + " (the bench times the GET only, expecting the lazy table's first page in it)");
                }
                timings.add(time("dashboard", role, () -> get(dashboard, session), c -> BareSql.dashboard(c, m, role.storeIds)));
                timings.add(time("customers", role, () -> get(customers, session), c -> BareSql.customers(c, m, role.storeIds)));
            }
        }
        return new Result(visits, m, timings);
    }

    /**
     * The portal's precomputed store x UTC-day figures ({@code portal_store_day}), as daily-aggregates leaves them
     * after a backfill of every generated day: {@code fill} writes them when a store-day of the data has no row
     * ({@code refill}: always), with the job's own code ({@code PortalDaysSql}), timed; {@code off} deletes them, so
     * the pages count from the visits as before the precomputed figures (the "before" of the same machine state).
     */
    static void preparePortalDays(Connection c, String mode) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            if (mode.equals("off")) {
                int n = st.executeUpdate("DELETE FROM portal_store_day");
                st.executeUpdate("DELETE FROM portal_store_watermark");
                c.commit();
                LOG.info(() -> "portal days off: " + n + " precomputed store-day rows deleted, the pages count from the visits");
                return;
            }
            java.time.LocalDate first;
            java.time.LocalDate last;
            try (ResultSet rs = st.executeQuery("SELECT MIN(started_at), MAX(started_at) FROM visit")) {
                rs.next();
                first = rs.getTimestamp(1).toLocalDateTime().toLocalDate();
                last = rs.getTimestamp(2).toLocalDateTime().toLocalDate();
            }
            List<Long> stores = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id FROM store ORDER BY id")) {
                while (rs.next()) {
                    stores.add(rs.getLong(1));
                }
            }
            long expected = (long) stores.size() * (java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1);
            long have = count(c, "SELECT COUNT(*) FROM portal_store_day");
            if (mode.equals("fill") && have >= expected) {
                LOG.info(() -> String.format("portal days present: %,d store-day rows (%s .. %s)", have, first, last));
                c.commit();
                return;
            }
            long t0 = System.nanoTime();
            java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
            long rows = 0;
            for (long store : stores) {
                rows += com.rva.application.aggregates.PortalDaysSql.refresh(c, store, first, last, now);
                c.commit();
            }
            com.rva.application.aggregates.PortalDaysSql.advanceWatermarks(c, stores, now.minusDays(7), now);
            c.commit();
            c.setAutoCommit(true); // VACUUM runs outside a transaction
            st.execute("VACUUM ANALYZE portal_store_day");
            long written = rows;
            double s = (System.nanoTime() - t0) / 1e9;
            long bytes = count(c, "SELECT COALESCE(SUM(octet_length(customer_visits)), 0) FROM portal_store_day");
            long customerDays = count(c, "SELECT COALESCE(SUM(customers), 0) FROM portal_store_day");
            LOG.info(() -> String.format("portal days filled: %,d store-day rows (%s .. %s), %,d customer-days in %,d bytes"
                    + " (%.1f bytes each), in %.1f s", written, first, last, customerDays, bytes,
                    (double) bytes / Math.max(1, customerDays), s));
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    interface Request {
        Object run() throws Exception;
    }

    interface SqlRequest {
        void run(Connection c) throws SQLException;
    }

    private Timings time(String page, Role role, Request portal, SqlRequest sql) throws Exception {
        for (int i = 0; i < warmup; i++) {
            portal.run();
        }
        double[] portalMs = new double[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            portal.run();
            portalMs[i] = (System.nanoTime() - t) / 1e6;
        }
        double[] sqlMs = new double[requests];
        try (Connection c = target.connect()) {
            for (int i = 0; i < warmup; i++) {
                sql.run(c);
            }
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                sql.run(c);
                sqlMs[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Timings t = new Timings(page, role.label, portalMs, sqlMs);
        LOG.info(() -> String.format("%-9s %-16s portal p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms | bare SQL p50 %7.1f ms"
                + "  p95 %7.1f ms", page, role.label, t.portal(0.5), t.portal(0.95), t.portal(1), t.sql(0.5), t.sql(0.95)));
        return t;
    }

    // --- users and scopes ----------------------------------------------------------------------------------

    /**
     * The bench's three portal users, with a fresh password each run (hashed as the application hashes:
     * PBKDF2-HMAC-SHA512 in the identity store's {@code algorithm:iterations:salt:hash} form): an admin, the
     * regional manager of the first generated region, the store manager of that region's first store.
     */
    static List<Role> setUpUsers(Connection c, String password) throws SQLException {
        long regionId;
        String regionCode;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT r.id, r.code FROM region r"
                + " WHERE r.code LIKE '" + Generator.REGION_PREFIX + "%' AND EXISTS (SELECT 1 FROM store s"
                + " WHERE s.region_id = r.id) ORDER BY r.code LIMIT 1")) {
            rs.next();
            regionId = rs.getLong(1);
            regionCode = rs.getString(2);
        }
        List<Long> regionStores = new ArrayList<>();
        String firstStore = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, code FROM store WHERE region_id = ? ORDER BY code")) {
            ps.setLong(1, regionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    regionStores.add(rs.getLong(1));
                    firstStore = firstStore == null ? rs.getString(2) : firstStore;
                }
            }
        }
        long storeId = regionStores.get(0);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (String[] u : new String[][] {{ADMIN_USER, "ADMIN"}, {REGIONAL_USER, "REGIONAL_MANAGER"},
                {STORE_USER, "STORE_MANAGER"}}) {
                BenchServer.upsertUser(c, u[0], u[1], "Portal benchmark " + u[1], password);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM app_user_region WHERE username = ?")) {
                ps.setString(1, REGIONAL_USER);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user_region (username, region_id) VALUES (?, ?)")) {
                ps.setString(1, REGIONAL_USER);
                ps.setLong(2, regionId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM app_user_store WHERE username = ?")) {
                ps.setString(1, STORE_USER);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user_store (username, store_id) VALUES (?, ?)")) {
                ps.setString(1, STORE_USER);
                ps.setLong(2, storeId);
                ps.executeUpdate();
            }
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
        String store = firstStore;
        LOG.info(() -> "Portal users: " + ADMIN_USER + " (ADMIN), " + REGIONAL_USER + " (REGIONAL_MANAGER of " + regionCode
                + ", " + regionStores.size() + " stores), " + STORE_USER + " (STORE_MANAGER of " + store + ")");
        return List.of(new Role("admin/all", ADMIN_USER, "ADMIN", null),
                new Role("regional/" + regionCode, REGIONAL_USER, "REGIONAL_MANAGER", List.copyOf(regionStores)),
                new Role("store/" + store, STORE_USER, "STORE_MANAGER", List.of(storeId)));
    }

    /** The last calendar month that lies wholly before the newest visit. */
    static YearMonth lastFullMonth(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(started_at) FROM visit")) {
            rs.next();
            Timestamp last = rs.getTimestamp(1);
            if (last == null) {
                throw new IllegalArgumentException("no visits in this database: run ./rva generate first");
            }
            return YearMonth.from(last.toLocalDateTime()).minusMonths(1);
        }
    }

    // --- HTTP -------------------------------------------------------------------------------------------

    /** Logs in through the portal's login form as a browser does; returns the session cookie. */
    private String login(String base, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "login.xhtml"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        String session = cookie(page).orElseThrow(() -> new IllegalStateException("the login page set no session"));
        String form = "j_username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&j_password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "j_security_check"))
                .timeout(Duration.ofSeconds(60)).header("Cookie", session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 302 && r.statusCode() != 303 || r.headers().firstValue("Location").orElse("").contains("login-error")) {
            throw new IllegalStateException("login as " + user + " failed: HTTP " + r.statusCode() + " "
                    + r.headers().firstValue("Location").orElse(""));
        }
        return cookie(r).orElse(session);
    }

    private static Optional<String> cookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith("JSESSIONID="))
                .map(h -> h.indexOf(';') < 0 ? h : h.substring(0, h.indexOf(';'))).findFirst();
    }

    /** The page's HTML; anything but 200 (a redirect to the login page, an error) stops the bench. */
    private String get(String url, String session) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Cookie", session).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode() + " "
                    + r.headers().firstValue("Location").orElse(""));
        }
        return r.body();
    }

    static long kpi(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>\\s*([0-9]+)\\s*<").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no " + id + " figure on the page");
        }
        return Long.parseLong(m.group(1));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The SQL the read side ({@code VisitAnalyticsService}) sends to the database for each page, in the caller's
     * scope, without the server: the baseline of the bench.
     */
    static final class BareSql {

        private BareSql() {
        }

        static String inStores(List<Long> storeIds) {
            return storeIds == null ? "" : " AND v.store_id IN (" + storeIds.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ")";
        }

        private static PreparedStatement range(Connection c, String sql, YearMonth m) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
            ps.setTimestamp(1, Timestamp.valueOf(m.atDay(1).atStartOfDay()));
            ps.setTimestamp(2, Timestamp.valueOf(m.atEndOfMonth().plusDays(1).atStartOfDay()));
            return ps;
        }

        private static long drain(PreparedStatement ps) throws SQLException {
            long n = 0;
            try (ps; ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }

        static long visits(Connection c, YearMonth m, List<Long> storeIds) throws SQLException {
            try (PreparedStatement ps = range(c, "SELECT COUNT(*) FROM visit v WHERE v.started_at >= ? AND v.started_at < ?"
                    + inStores(storeIds), m); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** The dashboard: the caller's stores, totals, returning customers, per store, per day. */
        static void dashboard(Connection c, YearMonth m, List<Long> storeIds) throws SQLException {
            String where = " FROM visit v WHERE v.started_at >= ? AND v.started_at < ?" + inStores(storeIds);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT s.id, s.code, s.name,"
                    + " s.time_zone, r.code FROM store s JOIN region r ON r.id = s.region_id ORDER BY s.code")) {
                while (rs.next()) {
                    rs.getString(2);
                }
            }
            drain(range(c, "SELECT COUNT(*), COUNT(DISTINCT v.customer_id), SUM(v.sighting_count)" + where, m));
            // returning = unique minus the customers enrolled since the range began that visited in it
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM customer cu WHERE cu.created_at >= ?"
                    + " AND EXISTS (SELECT 1" + where + " AND v.customer_id = cu.id)")) {
                ps.setTimestamp(1, Timestamp.valueOf(m.atDay(1).atStartOfDay()));
                ps.setTimestamp(2, Timestamp.valueOf(m.atDay(1).atStartOfDay()));
                ps.setTimestamp(3, Timestamp.valueOf(m.atEndOfMonth().plusDays(1).atStartOfDay()));
                drain(ps);
            }
            drain(range(c, "SELECT s.code, COUNT(*), COUNT(DISTINCT v.customer_id), SUM(v.sighting_count)"
                    + where.replace(" WHERE ", " JOIN store s ON s.id = v.store_id WHERE ") + " GROUP BY s.code", m));
            drain(range(c, "SELECT CAST(v.started_at AS DATE), COUNT(*), COUNT(DISTINCT v.customer_id)" + where
                    + " GROUP BY CAST(v.started_at AS DATE)", m));
        }

        /** The customers page's GET: the count for the paginator, the first 25 customers by visits, their stores. */
        static void customers(Connection c, YearMonth m, List<Long> storeIds) throws SQLException {
            String where = " FROM visit v WHERE v.started_at >= ? AND v.started_at < ?" + inStores(storeIds);
            drain(range(c, "SELECT COUNT(DISTINCT v.customer_id)" + where, m));
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = range(c, "SELECT v.customer_id, COUNT(*) AS n, SUM(v.sighting_count),"
                    + " MIN(v.started_at), MAX(v.ended_at)" + where + " GROUP BY v.customer_id ORDER BY n DESC,"
                    + " v.customer_id ASC LIMIT 25", m); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            if (!ids.isEmpty()) {
                drain(range(c, "SELECT v.customer_id, s.code, COUNT(*)" + where.replace(" WHERE ",
                        " JOIN store s ON s.id = v.store_id WHERE ") + " AND v.customer_id IN (" + ids.stream()
                        .map(String::valueOf).collect(Collectors.joining(", ")) + ") GROUP BY v.customer_id, s.code", m));
            }
        }
    }
}
