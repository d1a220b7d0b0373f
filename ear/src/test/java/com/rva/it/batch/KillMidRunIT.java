package com.rva.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * Kills the server process (SIGKILL) in the middle of daily-aggregates, starts it again and restarts the
 * execution: the aggregates are those of an uninterrupted run, and a region report already sent is not sent
 * again. Runs on a copy of the built server with its own H2 database, ports (rva.kill-it.port-offset,
 * rva.kill-it.smtp-port) and a GreenMail in this JVM.
 */
class KillMidRunIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.kill-it.port-offset", 800);
    private static final int SMTP_PORT = Integer.getInteger("rva.kill-it.smtp-port", 3125);
    private static final String ADMIN_PASSWORD = "kill-it-admin-secret";
    private static final int STORES = 240;
    private static final LocalDate DAY = LocalDate.of(2024, 8, 14);
    private static final LocalDate REPORT_DAY = LocalDate.of(2024, 8, 13);
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKilledRunRestartsToTheSameAggregatesAndSendsNoSecondEmail() throws Exception {
        Path work = Path.of("target", "kill-it").toAbsolutePath();
        Path home = work.resolve("wildfly");
        run(List.of("rm", "-rf", work.toString()));
        Files.createDirectories(work);
        run(List.of("cp", "-a", System.getProperty("jboss.home"), home.toString()));
        Files.copy(Path.of(System.getProperty("rva.ear")), home.resolve("standalone/deployments/rva.ear"));
        String jdbc = "jdbc:h2:" + home.resolve("rva-data/rva");
        // a first start migrates the schema; the data then goes in while the server is down (embedded H2)
        Path log = work.resolve("server-0.log");
        Process server = start(home, log);
        try {
            awaitHealthy(server, log);
        } finally {
            stop(server, home);
        }
        insertData(jdbc);

        GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "localhost", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        log = work.resolve("server-1.log");
        server = start(home, log);
        try {
            awaitHealthy(server, log);
            long report = startJob("region-report?day=" + REPORT_DAY + "&regions=kill_r");
            assertEquals("COMPLETED", field(awaitEnd(report), "batchStatus"));
            assertEquals(1, mail.getReceivedMessages().length);

            long id = startJob("daily-aggregates?day=" + DAY + "&storesPerChunk=1&partitions=2");
            awaitLog(log, "daily-aggregates progress: 30 of", server);
            kill(server);
            assertFalse(Files.readString(log).contains("daily-aggregates execution " + id + " COMPLETED"),
                    "killed in the middle of the run");

            log = work.resolve("server-2.log");
            server = start(home, log);
            awaitHealthy(server, log);
            String crashed = execution(id);
            assertEquals("FAILED", field(crashed, "batchStatus"), crashed);
            long restarted = Long.parseLong(field(send("POST", "/jobs/executions/" + id + "/restart", 202), "executionId"));
            assertEquals("COMPLETED", field(awaitEnd(restarted), "batchStatus"));
            assertTrue(Files.readString(log).contains("resuming after"), "the restart went on from checkpoints");

            long again = startJob("region-report?day=" + REPORT_DAY + "&regions=kill_r");
            String second = awaitEnd(again);
            assertTrue(field(second, "exitStatus").contains("ALREADY_SENT=1"), second);
            assertEquals(1, mail.getReceivedMessages().length, "no second e-mail after the crash and restart");
        } finally {
            stop(server, home);
            mail.stop();
        }
        assertAggregatesOfAnUninterruptedRun(jdbc);
    }

    /**
     * Region kill_r with STORES stores; store i has (i % 4) + 2 customers on DAY, each one visit of 5 * (j + 1) minutes
     * starting at 09:0j local time; customer 0 of each store also visited on REPORT_DAY (returning on DAY).
     */
    private static void insertData(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "rva", "rva"); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO region (id, code, name) VALUES (900000, 'kill_r', 'Kill test region')");
            st.executeUpdate("INSERT INTO region_report_recipient (id, region_id, email, active)"
                    + " VALUES (900001, 900000, 'kill.manager@example.com', TRUE)");
            long id = 1_000_000;
            try (PreparedStatement store = c.prepareStatement("INSERT INTO store (id, code, name, region_id, time_zone)"
                    + " VALUES (?, ?, ?, 900000, 'Europe/Berlin')");
                    PreparedStatement customer = c.prepareStatement("INSERT INTO customer (id, created_at) VALUES (?, ?)");
                    PreparedStatement visit = c.prepareStatement("INSERT INTO visit (id, customer_id, store_id, started_at,"
                            + " ended_at, sighting_count) VALUES (?, ?, ?, ?, ?, 1)")) {
                for (int i = 0; i < STORES; i++) {
                    long storeId = 900_100 + i;
                    store.setLong(1, storeId);
                    store.setString(2, String.format("kill_%03d", i));
                    store.setString(3, "Kill store " + i);
                    store.executeUpdate();
                    for (int j = 0; j < i % 4 + 2; j++) {
                        long customerId = id++;
                        customer.setLong(1, customerId);
                        customer.setTimestamp(2, Timestamp.valueOf(REPORT_DAY.atStartOfDay()));
                        customer.executeUpdate();
                        addVisit(visit, id++, customerId, storeId, DAY.atTime(9, j), 5 * (j + 1));
                        if (j == 0) {
                            addVisit(visit, id++, customerId, storeId, REPORT_DAY.atTime(17, 0), 3);
                        }
                    }
                }
            }
            c.commit();
        }
    }

    private static void addVisit(PreparedStatement visit, long id, long customer, long store, LocalDateTime local,
            int minutes) throws Exception {
        LocalDateTime utc = local.atZone(ZONE).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        visit.setLong(1, id);
        visit.setLong(2, customer);
        visit.setLong(3, store);
        visit.setTimestamp(4, Timestamp.valueOf(utc));
        visit.setTimestamp(5, Timestamp.valueOf(utc.plusMinutes(minutes)));
        visit.executeUpdate();
    }

    /** What an uninterrupted run gives for the data above (the job equals an SQL recount: DailyAggregatesIT). */
    private static void assertAggregatesOfAnUninterruptedRun(String jdbc) throws Exception {
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < STORES; i++) {
            int n = i % 4 + 2;
            double avg = 0;
            for (int j = 0; j < n; j++) {
                avg += 5 * (j + 1) * 60.0 / n;
            }
            double median = n % 2 == 1 ? 5 * (n / 2 + 1) * 60.0 : (5 * (n / 2) + 5 * (n / 2 + 1)) * 60.0 / 2;
            expected.add(String.format("%d visits=%d customers=%d new=%d returning=1 avg=%.1f median=%.1f hour=9",
                    900_100 + i, n, n, n - 1, avg, median));
        }
        try (Connection c = DriverManager.getConnection(jdbc, "rva", "rva"); Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT store_id, visits, unique_customers, new_customers,"
                        + " returning_customers, avg_dwell_seconds, median_dwell_seconds, busiest_hour FROM"
                        + " store_day_aggregate WHERE local_day = DATE '" + DAY + "' AND store_id >= 900100 ORDER BY store_id")) {
            while (r.next()) {
                actual.add(String.format("%d visits=%d customers=%d new=%d returning=%d avg=%.1f median=%.1f hour=%d",
                        r.getLong(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(5), r.getDouble(6), r.getDouble(7),
                        r.getInt(8)));
            }
        }
        assertEquals(expected, actual);
    }

    private Process start(Path home, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-full.xml",
                "-Djboss.socket.binding.port-offset=" + PORT_OFFSET,
                "-Drva.demo-data=true",
                "-Drva.data.dir=" + home.resolve("rva-data"),
                "-Drva.smtp.port=" + SMTP_PORT,
                "-Drva.admin.initial-password=" + ADMIN_PASSWORD)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        return pb.start();
    }

    /** SIGKILL to the server JVM and its launcher: no shutdown hook, no graceful stop. */
    private static void kill(Process server) throws InterruptedException {
        server.descendants().forEach(ProcessHandle::destroyForcibly);
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(1000);
    }

    private static void stop(Process server, Path home) throws Exception {
        if (!server.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("bash", home.resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=localhost:" + (9990 + PORT_OFFSET), "--command=shutdown").inheritIO().start()
                    .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // fall through
        }
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            kill(server);
        }
    }

    private void awaitHealthy(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("WildFly exited during start-up:\n" + tail(log));
            }
            try {
                if (http.send(request("GET", "/health"), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        fail("the application did not come up within 240 s:\n" + tail(log));
    }

    private static void awaitLog(Path log, String text, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return;
            }
            if (!server.isAlive()) {
                fail("the server exited:\n" + tail(log));
            }
            Thread.sleep(20);
        }
        fail("'" + text + "' did not appear in the log:\n" + tail(log));
    }

    private long startJob(String pathAndQuery) throws Exception {
        return Long.parseLong(field(send("POST", "/jobs/" + pathAndQuery, 202), "executionId"));
    }

    private String execution(long id) throws Exception {
        return send("GET", "/jobs/executions/" + id, 200);
    }

    /** A top-level number or string field of the API's flat execution JSON (no JSON-P provider on this class path). */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private String awaitEnd(long id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String e = execution(id);
            if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(field(e, "batchStatus"))) {
                return e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("execution " + id + " did not end");
    }

    private String send(String method, String path, int expected) throws Exception {
        HttpResponse<String> r = http.send(request(method, path), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body());
        return r.body();
    }

    private static HttpRequest request(String method, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + (8080 + PORT_OFFSET) + "/rva/api/v1" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, command + ": " + out);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

}
