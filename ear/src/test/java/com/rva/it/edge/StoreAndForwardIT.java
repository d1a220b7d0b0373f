package com.rva.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real collector (its built jar, in its own JVM) against the real server (the built WildFly with the EAR, its
 * own base directory and ports), loopback only:
 * <ul>
 * <li>the server is shut down while store_001's collector keeps taking frames, then started again: every crop
 * becomes exactly one sighting (counted in the database). That collector reaches the server over TLS: WildFly's
 * https listener (broker through HTTP upgrade) with a self-signed certificate made here by {@code keytool}, given
 * to the server as {@code -Drva.tls.key-store}, the collector trusting it through {@code server.tls.trust-store};</li>
 * <li>a collector configured for store_002 but logging in with store_001's credentials is sending as another store:
 * each of its crops is rejected as STORE_MISMATCH and counted in crop_rejection, none becomes a sighting.</li>
 * </ul>
 * Ports: {@code -Drva.saf-it.port-offset} (default 800).
 */
class StoreAndForwardIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.saf-it.port-offset", 800);
    private static final String ADMIN_PASSWORD = "saf-it-admin";
    private static final String TLS_SERVER_PASSWORD = "saf-it-server-pw";
    private static final String TLS_TRUST_PASSWORD = "saf-it-trust-pw";
    private static final Instant T0 = Instant.now().minusSeconds(3600);

    private final Path work = Path.of("target", "saf-it").toAbsolutePath();
    private final Path home = Path.of(System.getProperty("jboss.home")).toAbsolutePath();
    private final Path base = work.resolve("server");
    private final List<Process> collectors = new ArrayList<>();
    private Process server;
    /** store_001's collector secret, issued by the product (POST /api/v1/collectors/store_001/credentials) */
    private String password1;

    @AfterEach
    void stopAll() throws Exception {
        for (Process c : collectors) {
            c.destroy();
            c.waitFor(20, TimeUnit.SECONDS);
        }
        if (server != null && server.isAlive()) {
            stopServer();
        }
    }

    @Test
    void serverOutageLosesNothingAndCropsSentAsAnotherStoreAreRejected() throws Exception {
        Path shared = Path.of(System.getProperty("rva.shared.dir", "../../shared")).toAbsolutePath().normalize();
        Path face = shared.resolve("faces/amy/2.png");
        assumeTrue(Files.isRegularFile(face), "shared/faces missing: " + face + " does not exist, so the collector "
                + "fault test against the real server is skipped");
        Path root = new File(System.getProperty("rva.root", "..")).getCanonicalFile().toPath();
        Path jar;
        try (Stream<Path> s = Files.list(root.resolve("edge-collector/target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("rva-edge-collector-.*\\d(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("build the collector first: no jar in "
                            + root.resolve("edge-collector/target")));
        }
        prepareServer();
        makeTlsKeys();
        startServer();
        password1 = issueCredentials("store_001", "store-001");

        Path frames1 = Files.createDirectories(work.resolve("frames-1"));
        Path frames2 = Files.createDirectories(work.resolve("frames-2"));
        collectors.add(startCollector(jar, "store_001", "store-001", frames1, true));
        // store_002's collector, but logged in as store_001's user: sending as another store (plain HTTP upgrade)
        collectors.add(startCollector(jar, "store_002", "store-001", frames2, false));

        drop(face, frames1, 1, 4);
        drop(face, frames2, 1, 2);
        await(() -> isEmpty(frames1) && isEmpty(frames2), "first frames taken", 90);
        await(() -> queueDepth() == 0, "first crops consumed by the server", 90);

        stopServer();
        drop(face, frames1, 5, 10);
        await(() -> isEmpty(frames1), "frames 5-10 taken while the server is down", 60);

        startServer();
        await(() -> logContains(work.resolve("collector-store_001.log"), "Outbox: 0 crop(s) waiting"),
                "store_001's outbox empty after the server came back", 120);
        Thread.sleep(1500);
        await(() -> queueDepth() == 0, "all crops consumed by the server", 120);
        for (Process c : collectors) {
            c.destroy();
            c.waitFor(20, TimeUnit.SECONDS);
        }
        stopServer();

        String url = "jdbc:h2:" + base.resolve("rva-data/rva") + ";ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, "rva", "rva")) {
            long sightings = count(c, "SELECT COUNT(*) FROM sighting WHERE duplicate_id LIKE 'store_001/cam-1/%'");
            long distinctFrames = count(c, "SELECT COUNT(DISTINCT captured_at) FROM sighting"
                    + " WHERE duplicate_id LIKE 'store_001/cam-1/%'");
            long foreign = count(c, "SELECT COUNT(*) FROM sighting s JOIN camera k ON k.id = s.camera_id"
                    + " JOIN store t ON t.id = k.store_id WHERE t.code = 'store_002'");
            long mismatches = count(c, "SELECT COUNT(*) FROM crop_rejection WHERE reason = 'STORE_MISMATCH'"
                    + " AND store_code = 'store_002'");
            long otherRejections = count(c, "SELECT COUNT(*) FROM crop_rejection WHERE reason <> 'STORE_MISMATCH'");
            long beats1 = count(c, "SELECT COUNT(*) FROM collector_heartbeat WHERE store_code = 'store_001'"
                    + " AND collector_id = 'saf-store_001' AND sender = 'store-001' AND frames >= 4");
            long beats2 = count(c, "SELECT COUNT(*) FROM collector_heartbeat WHERE store_code = 'store_002'");
            String report = "sightings=" + sightings + " distinctFrames=" + distinctFrames + " foreign=" + foreign
                    + " mismatches=" + mismatches + " otherRejections=" + otherRejections + " heartbeats(store_001)=" + beats1
                    + " heartbeats(store_002)=" + beats2;
            System.out.println("StoreAndForwardIT: " + report);
            assertEquals(10, sightings, "every crop of store_001 exactly once, across the outage: " + report);
            assertEquals(10, distinctFrames, report);
            assertEquals(0, foreign, "nothing stored for store_002: " + report);
            assertEquals(2, mismatches, "each crop sent as another store rejected and counted: " + report);
            assertEquals(0, otherRejections, report);
            assertEquals(1, beats1, "the latest heartbeat of store_001's collector is kept: " + report);
            assertEquals(0, beats2, "a heartbeat sent as another store is ignored: " + report);
        }
    }

    private void prepareServer() throws Exception {
        run(work.getParent(), List.of("rm", "-rf", work.toString()), Duration.ofMinutes(1));
        Files.createDirectories(base.resolve("deployments"));
        run(work, List.of("cp", "-r", home.resolve("standalone/configuration").toString(),
                base.resolve("configuration").toString()), Duration.ofMinutes(1));
        Files.copy(Path.of(System.getProperty("rva.ear")), base.resolve("deployments/rva.ear"));
    }

    /** New credentials for a store's collector, as an admin gets them; returns the secret. */
    private String issueCredentials(String store, String expectedLogin) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + (8080 + PORT_OFFSET) + "/rva/api/v1/collectors/" + store + "/credentials"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:"
                        + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, "credentials for " + store + ": " + r.statusCode());
        assertTrue(r.body().contains("\"login\":\"" + expectedLogin + "\""), "the login of " + store);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), "a secret in the answer for " + store);
        return m.group(1);
    }

    private void startServer() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-full.xml",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + PORT_OFFSET,
                "-Drva.demo-data=true",
                "-Drva.data.dir=" + base.resolve("rva-data"),
                "-Drva.admin.initial-password=" + ADMIN_PASSWORD,
                "-Drva.tls.key-store=" + work.resolve("tls/server.p12"),
                "-Drva.tls.key-store-password=" + TLS_SERVER_PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server-console.log").toFile()));
        pb.environment().put("JBOSS_HOME", home.toString());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        server = pb.start();
        String health = "http://localhost:" + (8080 + PORT_OFFSET) + "/rva/api/v1/health";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("WildFly exited during start-up:\n" + tail(work.resolve("server-console.log")));
            }
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        fail("the server did not come up within 240 s:\n" + tail(work.resolve("server-console.log")));
    }

    private void stopServer() throws Exception {
        try {
            cli(":shutdown");
        } catch (AssertionError | IOException e) {
            // fall through to killing the process tree
        }
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Messages waiting on the server's crops queue (jboss-cli, local authentication). */
    private long queueDepth() {
        try {
            String out = cli("/subsystem=messaging-activemq/server=default/jms-queue=rva.crops"
                    + ":read-attribute(name=message-count)");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"result\" => (\\d+)L?").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private String cli(String command) throws Exception {
        return run(work, List.of("bash", home.resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=localhost:" + (9990 + PORT_OFFSET), "--command=" + command), Duration.ofMinutes(1),
                "JBOSS_HOME", home.toString());
    }

    /** A self-signed server certificate for localhost and a trust store holding it, made with the JDK's keytool. */
    private void makeTlsKeys() throws Exception {
        Path keys = Files.createDirectories(work.resolve("tls"));
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keys, List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity",
                "2", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", "server.p12", "-storepass", TLS_SERVER_PASSWORD, "-keypass", TLS_SERVER_PASSWORD),
                Duration.ofMinutes(1));
        run(keys, List.of(keytool, "-exportcert", "-alias", "server", "-keystore", "server.p12", "-storepass",
                TLS_SERVER_PASSWORD, "-file", "server.crt"), Duration.ofMinutes(1));
        run(keys, List.of(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", "server.crt", "-storetype",
                "PKCS12", "-keystore", "trust.p12", "-storepass", TLS_TRUST_PASSWORD), Duration.ofMinutes(1));
    }

    private Process startCollector(Path jar, String store, String user, Path frames, boolean tls) throws IOException {
        Path config = work.resolve("collector-" + store + ".properties");
        String url = tls ? "server.url=tcp://localhost:" + (8443 + PORT_OFFSET) + "?httpUpgradeEnabled=true\n"
                + "server.tls.trust-store=" + work.resolve("tls/trust.p12") + "\n"
                + "server.tls.trust-store-password=" + TLS_TRUST_PASSWORD
                : "server.url=tcp://localhost:" + (8080 + PORT_OFFSET) + "?httpUpgradeEnabled=true";
        Files.writeString(config, String.join("\n",
                "store.id=" + store,
                url,
                "server.user=" + user,
                "server.password=" + password1,
                "cameras=cam-1",
                "camera.cam-1.source=folder:" + frames,
                "camera.cam-1.interval-seconds=1",
                "state.dir=" + work.resolve("state-" + store),
                "log.stats-interval-seconds=1", "http.port=0", "heartbeat.interval-seconds=2", "collector.id=saf-" + store, ""), StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--config=" + config)
                .redirectErrorStream(true).redirectOutput(work.resolve("collector-" + store + ".log").toFile()).start();
    }

    private static void drop(Path face, Path frames, int from, int to) throws IOException, InterruptedException {
        for (int i = from; i <= to; i++) {
            Path tmp = frames.resolve(".frame.tmp");
            Files.copy(face, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(tmp, FileTime.from(T0.plusSeconds(60L * i)));
            Files.move(tmp, frames.resolve(String.format("frame-%03d.png", i)), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(100);
        }
    }

    private void await(BooleanSupplier condition, String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (String name : List.of("collector-store_001.log", "collector-store_002.log")) {
                    Path log = work.resolve(name);
                    if (Files.exists(log)) {
                        logs.append("--- ").append(name).append('\n').append(tail(log)).append('\n');
                    }
                }
                fail("timed out after " + seconds + " s waiting for: " + what + "\n" + logs);
            }
            Thread.sleep(1000);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.noneMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean logContains(Path log, String text) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            // only the latest stats line counts
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("Outbox: ")) {
                    return lines.get(i).contains(text);
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String run(Path dir, List<String> command, Duration timeout, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Files.createDirectories(dir);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish within " + timeout + ":\n" + out);
        }
        assertTrue(p.exitValue() == 0, command + " failed:\n" + out);
        return out;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
