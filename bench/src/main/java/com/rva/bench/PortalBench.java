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
    private final Path wildflyHome;
    private final Path ear;
    private final Path postgresqlCli;
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

    PortalBench(PgTarget target, Path wildflyHome, Path ear, Path postgresqlCli, Path work, int portOffset, int warmup,
            int requests, YearMonth month, int startupSeconds, String portalDays, Diagnostics diagnostics) {
        this.target = target;
        this.wildflyHome = wildflyHome;
        this.ear = ear;
        this.postgresqlCli = postgresqlCli;
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
     * {@code store}).
     */
    record Diagnostics(boolean timing, boolean jfr, List<String> roles) {
        static final Diagnostics NONE = new Diagnostics(false, false, List.of());

        boolean wants(Role role) {
            return roles.isEmpty() || roles.stream().anyMatch(role.label::startsWith);
        }
    }

    Result run() throws Exception {
        for (Path p : List.of(wildflyHome.resolve("bin/standalone.sh"), ear, postgresqlCli)) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + " does not exist (build first: ./mvnw -B install -DskipTests)");
            }
        }
        long visits;
        YearMonth m;
        List<Role> roles;
        String password = randomPassword();
        try (Connection c = target.connect()) {
            visits = count(c, "SELECT COUNT(*) FROM visit");
            if (count(c, "SELECT COUNT(*) FROM region WHERE code LIKE '" + Generator.REGION_PREFIX + "%'") == 0) {
                throw new IllegalArgumentException("no generated data in this database: run ./rva generate first");
            }
            m = month != null ? month : lastFullMonth(c);
            roles = setUpUsers(c, password);
            // a scheduled job (daily-aggregates at 02:30) must not run during the measurement
            try (Statement st = c.createStatement()) {
                int n = st.executeUpdate("UPDATE job_schedule SET enabled = FALSE WHERE enabled");
                if (n > 0) {
                    LOG.info(() -> n + " job schedules disabled in this bench database (no nightly job during the runs)");
                }
            }
        }
        try (Connection c = target.connect()) {
            preparePortalDays(c, portalDays);
        }
        LOG.info(() -> String.format("%,d visits; month %s; %d warm-up + %d timed requests per page and role", visits, m,
                warmup, requests));

        Process server = startServer(password);
        List<Timings> timings = new ArrayList<>();
        try {
            String base = "http://localhost:" + (8080 + portOffset) + "/rva/";
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
        } finally {
            stopServer(server);
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
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (username, password_hash,"
                        + " display_name, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT (username) DO UPDATE"
                        + " SET password_hash = EXCLUDED.password_hash, failed_logins = 0, locked_until = NULL")) {
                    ps.setString(1, u[0]);
                    ps.setString(2, hash(password.toCharArray()));
                    ps.setString(3, "Portal benchmark " + u[1]);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user_role (username, role_name)"
                        + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, u[0]);
                    ps.setString(2, u[1]);
                    ps.executeUpdate();
                }
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

    /** As the application's {@code PasswordHashing} (Soteria's Pbkdf2PasswordHash) stores a password. */
    static String hash(char[] password) {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        int iterations = 210_000;
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 64 * 8)).getEncoded();
            return "PBKDF2WithHmacSHA512:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                    + Base64.getEncoder().encodeToString(key);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
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

    // --- the server -------------------------------------------------------------------------------------

    private Process startServer(String password) throws Exception {
        Path home = work.resolve("wildfly");
        Files.createDirectories(work);
        run(work, Duration.ofMinutes(2), "rm", "-rf", home.toString());
        LOG.info(() -> "Copying the built server to " + home);
        run(work, Duration.ofMinutes(5), "cp", "-a", wildflyHome.toString(), home.toString());
        Path props = work.resolve("pg.properties");
        Files.writeString(props, String.join("\n",
                "pg.driver.jar=" + Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                "pg.url=" + target.url, "pg.user=" + target.user, "pg.password=" + target.password, ""));
        LOG.info("Switching its datasource to the bench database (postgresql.cli)");
        run(work, Duration.ofMinutes(3), "env", "JBOSS_HOME=" + home, "bash", home.resolve("bin/jboss-cli.sh").toString(),
                "--resolve-parameter-values", "--file=" + postgresqlCli, "--properties=" + props);
        Files.copy(ear, home.resolve("standalone/deployments/rva.ear"));
        Path log = work.resolve("server-console.log");
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(), "-c",
                "standalone-full.xml", "-Djboss.socket.binding.port-offset=" + portOffset,
                // a loaded machine needs longer than WildFly's default 300 s for the deployment to settle
                "-Djboss.as.management.blocking.timeout=" + startupSeconds,
                "-Drva.data.dir=" + work.resolve("data"), "-Drva.admin.initial-password=" + password,
                "-Drva.portal.timing=" + diagnostics.timing())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JBOSS_HOME", home.toString());
        if (diagnostics.jfr()) {
            Path jfr = work.resolve("portal.jfr");
            // standalone.conf keeps its heap and module options and appends these (JAVA_OPTS would replace them)
            Files.writeString(home.resolve("bin/standalone.conf"), "\nJAVA_OPTS=\"$JAVA_OPTS -XX:StartFlightRecording="
                    + "filename=" + jfr + ",settings=profile,dumponexit=true\"\n", java.nio.file.StandardOpenOption.APPEND);
            LOG.info(() -> "Recording the server with JFR into " + jfr);
        }
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        LOG.info(() -> "Starting WildFly (port offset " + portOffset + ", log " + log + ")");
        Process p = pb.start();
        String health = "http://localhost:" + (8080 + portOffset) + "/rva/api/v1/health";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startupSeconds);
        Path failed = home.resolve("standalone/deployments/rva.ear.failed");
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("WildFly exited during start-up; see " + log);
            }
            if (Files.exists(failed)) {
                stopServer(p);
                throw new IllegalStateException("the application failed to deploy: " + Files.readString(failed));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                stopServer(p);
                throw new IllegalStateException("the application did not come up within " + startupSeconds + " s; see " + log);
            }
            Thread.sleep(2000);
        }
        LOG.info("Application is up");
        return p;
    }

    private void stopServer(Process server) throws Exception {
        Path home = work.resolve("wildfly");
        try {
            run(work, Duration.ofMinutes(1), "env", "JBOSS_HOME=" + home, "bash", home.resolve("bin/jboss-cli.sh").toString(),
                    "-c", "--controller=localhost:" + (9990 + portOffset), "--command=shutdown");
        } catch (Exception e) {
            LOG.info(() -> "CLI shutdown failed (" + e.getMessage() + "); stopping the process");
        }
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
        LOG.info("WildFly stopped");
    }

    private static String run(Path dir, Duration timeout, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
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
