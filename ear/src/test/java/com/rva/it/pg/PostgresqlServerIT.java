package com.rva.it.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Does what the README's "Running on PostgreSQL" section says, on a copy of the built server: writes
 * {@code pg.properties}, runs {@code bin/jboss-cli.sh --resolve-parameter-values
 * --file=ear/src/main/wildfly/postgresql.cli --properties=pg.properties} against genuine PostgreSQL binaries (zonky), starts the server with the EAR
 * and checks that the application migrated the empty database, loaded the demo stores and answers the API.
 */
class PostgresqlServerIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.pg-it.port-offset", 600);
    private static final String ADMIN_PASSWORD = "pg-it-admin-secret";
    /** How long the server may take to come up (a loaded machine needs more). */
    private static final int STARTUP_SECONDS = Integer.getInteger("rva.pg-it.startup-seconds", 240);

    @Test
    void applicationRunsOnPostgresql() throws Exception {
        Path root = new File(System.getProperty("rva.root", "..")).getCanonicalFile().toPath();
        Path builtHome = Path.of(System.getProperty("jboss.home"));
        Path work = Path.of("target", "pg-it").toAbsolutePath();
        Path home = work.resolve("wildfly");
        Files.createDirectories(work);
        run(work.getParent(), List.of("rm", "-rf", work.toString()), Duration.ofMinutes(2));
        Files.createDirectories(work);
        run(work, List.of("cp", "-a", builtHome.toString(), home.toString()), Duration.ofMinutes(5));

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Path props = work.resolve("pg.properties");
            Files.writeString(props, String.join("\n",
                    "pg.driver.jar=" + Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource()
                            .getLocation().toURI()),
                    "pg.url=" + pg.getJdbcUrl("postgres", "postgres"),
                    "pg.user=postgres",
                    "pg.password=postgres", ""), StandardCharsets.UTF_8);
            String cli = run(work, List.of("bash", home.resolve("bin/jboss-cli.sh").toString(),
                    "--resolve-parameter-values", "--file=" + root.resolve("ear/src/main/wildfly/postgresql.cli"), "--properties=" + props),
                    Duration.ofMinutes(3), "JBOSS_HOME", home.toString());
            assertTrue(Files.readString(home.resolve("standalone/configuration/standalone-full.xml"))
                    .contains("jdbc:postgresql://"), "postgresql.cli did not switch RvaDS:\n" + cli);

            Files.copy(Path.of(System.getProperty("rva.ear")), home.resolve("standalone/deployments/rva.ear"));
            Process server = start(home, work.resolve("server-console.log"));
            try {
                String base = "http://localhost:" + (8080 + PORT_OFFSET) + "/rva/api/v1/";
                awaitHealthy(server, base + "health", home, work.resolve("server-console.log"));

                HttpResponse<String> aggregates = get(base + "aggregates?from=2019-01-01&to=2019-01-02", true);
                assertEquals(200, aggregates.statusCode(), aggregates.body());
                assertEquals("{}", aggregates.body().strip());
                assertEquals(401, get(base + "aggregates?from=2019-01-01&to=2019-01-02", false).statusCode());

                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    assertTrue(count(s, "SELECT count(*) FROM flyway_schema_history WHERE success") >= 1,
                            "Flyway migrated the database");
                    assertEquals(2, count(s, "SELECT count(*) FROM store WHERE code IN ('store_001', 'store_002')"),
                            "demo stores loaded into PostgreSQL");
                    assertEquals(1, count(s, "SELECT count(*) FROM app_user WHERE username = 'admin'"),
                            "the initial admin user is in PostgreSQL");
                    // visit and sighting are partitioned by month; the months ahead exist after start-up
                    assertEquals(2, count(s, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class t ON"
                            + " t.oid = p.partrelid WHERE t.relname IN ('visit', 'sighting')"));
                    assertEquals(1, count(s, "SELECT count(*) FROM pg_class WHERE relname = 'sighting_'"
                            + " || to_char(CURRENT_DATE + INTERVAL '3 months', 'YYYYMM')"));
                    // daily-aggregates computes the day set-based in PostgreSQL: one visit of store_001 two days ago
                    s.executeUpdate("INSERT INTO customer (id, created_at) VALUES (900001, CURRENT_TIMESTAMP)");
                    s.executeUpdate("INSERT INTO visit (id, customer_id, store_id, started_at, ended_at, sighting_count)"
                            + " SELECT 900002, 900001, id, (CURRENT_DATE - 2) + TIME '12:00', (CURRENT_DATE - 2) + TIME '12:03',"
                            + " 2 FROM store WHERE code = 'store_001'");
                }
                String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2).toString();
                HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(base + "jobs/daily-aggregates?day="
                        + day + "&from=" + java.time.LocalDate.parse(day).minusDays(1) + "&stores=store_001"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals(202, started.statusCode(), started.body());
                String execution = started.headers().firstValue("Location").orElseThrow();
                String status = "";
                for (int i = 0; i < 60 && !status.contains("COMPLETED") && !status.contains("FAILED"); i++) {
                    Thread.sleep(1000);
                    status = send(HttpRequest.newBuilder(URI.create(execution)).GET()).body();
                }
                assertTrue(status.contains("COMPLETED"), status);
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    assertEquals(1, count(s, "SELECT visits * 1000 + unique_customers * 100 + new_customers * 10 + busiest_hour / 12"
                            + " FROM store_day_aggregate a JOIN store t ON t.id = a.store_id WHERE t.code = 'store_001'"
                            + " AND a.local_day = DATE '" + day + "'") == 1111 ? 1 : 0, "1 visit, 1 new customer at noon");
                    assertEquals(2, count(s, "SELECT count(*) FROM store_day_aggregate a JOIN store t ON t.id = a.store_id"
                            + " WHERE t.code = 'store_001'"), "a row for each day of the range");
                    assertEquals(1, count(s, "SELECT appearances FROM customer_store_aggregate WHERE customer_id = 900001"));
                }
            } finally {
                stop(server, home);
            }
        }
    }

    private static Process start(Path home, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-full.xml",
                "-Djboss.socket.binding.port-offset=" + PORT_OFFSET,
                "-Drva.demo-data=true",
                "-Drva.data.dir=" + home.resolve("rva-data"),
                "-Drva.admin.initial-password=" + ADMIN_PASSWORD)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        return pb.start();
    }

    private static void awaitHealthy(Process server, String healthUrl, Path home, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STARTUP_SECONDS);
        Path failed = home.resolve("standalone/deployments/rva.ear.failed");
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("WildFly exited during start-up:\n" + tail(log));
            }
            if (Files.exists(failed)) {
                fail("the EAR failed to deploy on PostgreSQL: " + Files.readString(failed) + "\n" + tail(log));
            }
            try {
                if (get(healthUrl, false).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(2000);
        }
        fail("the application did not come up on PostgreSQL within " + STARTUP_SECONDS + " s:\n" + tail(log));
    }

    private static void stop(Process server, Path home) throws Exception {
        try {
            run(home, List.of("bash", home.resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=localhost:" + (9990 + PORT_OFFSET), "--command=shutdown"), Duration.ofMinutes(1),
                    "JBOSS_HOME", home.toString());
        } catch (AssertionError | IOException e) {
            // fall through to killing the process tree
        }
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    private static HttpResponse<String> get(String url, boolean asAdmin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (asAdmin) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String run(Path dir, List<String> command, Duration timeout, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish within " + timeout + ":\n" + out);
        }
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
