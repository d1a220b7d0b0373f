package com.rva.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The application in a real WildFly on the bench's PostgreSQL, for the benchmarks that go through the server
 * ({@code ./rva bench portal}, {@code ./rva bench aggregates}): a copy of the built server in {@code work/wildfly},
 * switched to that database with the README's {@code postgresql.cli} (as {@code PostgresqlServerIT} does) and started
 * as {@code ./rva demo} starts it, on {@code portOffset}; {@link #close()} shuts it down. Also the portal users the
 * benchmarks log in with, stored as the application stores them.
 */
final class BenchServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BenchServer.class.getName());

    /** Where the built server, the ear and the CLI script are; refused by name when one is missing. */
    record Build(Path wildflyHome, Path ear, Path postgresqlCli) {
        void check() {
            for (Path p : List.of(wildflyHome.resolve("bin/standalone.sh"), ear, postgresqlCli)) {
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException(p + " does not exist (build first: ./mvnw -B install -DskipTests)");
                }
            }
        }
    }

    private final Path work;
    private final int portOffset;
    private final Process process;
    private final Path log;

    private BenchServer(Path work, int portOffset, Process process, Path log) {
        this.work = work;
        this.portOffset = portOffset;
        this.process = process;
        this.log = log;
    }

    /** {@code http://localhost:<8080 + offset>/rva/} */
    String base() {
        return "http://localhost:" + (8080 + portOffset) + "/rva/";
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Copies the built server into {@code work/wildfly}, switches it to {@code target}, deploys the ear and starts it;
     * returns once the application answers its health check (at most {@code startupSeconds}).
     */
    static BenchServer start(Build build, PgTarget target, Path work, int portOffset, int startupSeconds,
            String adminPassword) throws Exception {
        return start(build, target, work, portOffset, startupSeconds, adminPassword, List.of(), null);
    }

    /**
     * As above, with more {@code -D} options for the server and, when {@code jfr} is not null, a Java Flight Recorder
     * recording of the whole run into that file.
     */
    static BenchServer start(Build build, PgTarget target, Path work, int portOffset, int startupSeconds,
            String adminPassword, List<String> systemProperties, Path jfr) throws Exception {
        build.check();
        Path home = work.resolve("wildfly");
        Files.createDirectories(work);
        run(work, Duration.ofMinutes(2), "rm", "-rf", home.toString());
        LOG.info(() -> "Copying the built server to " + home);
        run(work, Duration.ofMinutes(5), "cp", "-a", build.wildflyHome().toString(), home.toString());
        Path props = work.resolve("pg.properties");
        Files.writeString(props, String.join("\n",
                "pg.driver.jar=" + Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                "pg.url=" + target.url, "pg.user=" + target.user, "pg.password=" + target.password, ""));
        LOG.info("Switching its datasource to the bench database (postgresql.cli)");
        run(work, Duration.ofMinutes(3), "env", "JBOSS_HOME=" + home, "bash", home.resolve("bin/jboss-cli.sh").toString(),
                "--resolve-parameter-values", "--file=" + build.postgresqlCli(), "--properties=" + props);
        Files.copy(build.ear(), home.resolve("standalone/deployments/rva.ear"));
        Path log = work.resolve("server-console.log");
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/standalone.sh").toString(), "-c",
                "standalone-full.xml", "-Djboss.socket.binding.port-offset=" + portOffset,
                // a loaded machine needs longer than WildFly's default 300 s for the deployment to settle
                "-Djboss.as.management.blocking.timeout=" + startupSeconds,
                "-Drva.data.dir=" + work.resolve("data"), "-Drva.admin.initial-password=" + adminPassword));
        command.addAll(systemProperties);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JBOSS_HOME", home.toString());
        if (jfr != null) {
            // standalone.conf keeps its heap and module options and appends these (JAVA_OPTS would replace them)
            Files.writeString(home.resolve("bin/standalone.conf"), "\nJAVA_OPTS=\"$JAVA_OPTS -XX:StartFlightRecording="
                    + "filename=" + jfr + ",settings=profile,dumponexit=true\"\n", java.nio.file.StandardOpenOption.APPEND);
            LOG.info(() -> "Recording the server with JFR into " + jfr);
        }
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        LOG.info(() -> "Starting WildFly (port offset " + portOffset + ", log " + log + ")");
        BenchServer server = new BenchServer(work, portOffset, pb.start(), log);
        long t0 = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String health = server.base() + "api/v1/health";
        long deadline = t0 + TimeUnit.SECONDS.toNanos(startupSeconds);
        Path failed = home.resolve("standalone/deployments/rva.ear.failed");
        while (true) {
            if (!server.process.isAlive()) {
                throw new IllegalStateException("WildFly exited during start-up; see " + log);
            }
            if (Files.exists(failed)) {
                server.close();
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
                server.close();
                throw new IllegalStateException("the application did not come up within " + startupSeconds + " s; see " + log);
            }
            Thread.sleep(2000);
        }
        LOG.info(() -> String.format("Application is up (%.0f s)", (System.nanoTime() - t0) / 1e9));
        return server;
    }

    /** Shuts the server down through its CLI; kills it when that does not end it within a minute. */
    @Override
    public void close() throws Exception {
        Path home = work.resolve("wildfly");
        try {
            run(work, Duration.ofMinutes(1), "env", "JBOSS_HOME=" + home, "bash", home.resolve("bin/jboss-cli.sh").toString(),
                    "-c", "--controller=localhost:" + (9990 + portOffset), "--command=shutdown");
        } catch (Exception e) {
            LOG.info(() -> "CLI shutdown failed (" + e.getMessage() + "); stopping the process");
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        LOG.info("WildFly stopped");
    }

    static String run(Path dir, Duration timeout, String... command) throws Exception {
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

    // --- the bench's users and database state -------------------------------------------------------------

    /**
     * A portal user with {@code role} and {@code password} (hashed as the application hashes), created or given the
     * new password and unlocked; the caller commits.
     */
    static void upsertUser(Connection c, String username, String role, String displayName, String password)
            throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO app_user (username, password_hash,"
                + " display_name, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT (username) DO UPDATE"
                + " SET password_hash = EXCLUDED.password_hash, failed_logins = 0, locked_until = NULL")) {
            ps.setString(1, username);
            ps.setString(2, hash(password.toCharArray()));
            ps.setString(3, displayName);
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("INSERT INTO app_user_role (username, role_name)"
                + " VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, username);
            ps.setString(2, role);
            ps.executeUpdate();
        }
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

    static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** No scheduled job (nor a missed run made up at start) may run in the bench database while it measures. */
    static void disableSchedules(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            int n = st.executeUpdate("UPDATE job_schedule SET enabled = FALSE WHERE enabled");
            if (n > 0) {
                LOG.info(() -> n + " job schedules disabled in this bench database (no nightly job during the runs)");
            }
        }
    }
}
