package com.rva.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL database the generator and the benchmarks work on: the one named by {@code --jdbc-url}
 * ({@code --user}, {@code --password}), or an embedded PostgreSQL (genuine binaries, as the tests use) whose
 * data lives in {@code <state-dir>/pgdata} and survives between runs.
 */
final class PgTarget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PgTarget.class.getName());

    final String url;
    final String user;
    final String password;
    private final EmbeddedPostgres embedded;
    final Path dataDir;

    private PgTarget(String url, String user, String password, EmbeddedPostgres embedded, Path dataDir) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    static PgTarget open(Options o) throws IOException {
        if (o.has("jdbc-url")) {
            return new PgTarget(o.string("jdbc-url", null), o.string("user", "postgres"), o.string("password", ""),
                    null, null);
        }
        Path dir = Path.of(o.string("state-dir", ".rva-pg")).toAbsolutePath().normalize().resolve("pgdata");
        Files.createDirectories(dir);
        int port = (int) o.positive("pg-port", 0);
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofMinutes(2))
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("work_mem", "64MB")
                .setServerConfig("maintenance_work_mem", "512MB")
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("max_parallel_workers_per_gather", "2")
                .setServerConfig("max_connections", "100");
        if (port > 0) {
            b.setPort(port);
        }
        LOG.info(() -> "Starting embedded PostgreSQL on " + dir);
        EmbeddedPostgres pg = b.start();
        String url = pg.getJdbcUrl("postgres", "postgres");
        LOG.info(() -> "Embedded PostgreSQL on port " + pg.getPort() + " (data " + dir + ")");
        return new PgTarget(url, "postgres", "postgres", pg, dir);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    boolean embedded() {
        return embedded != null;
    }

    int port() {
        return embedded == null ? -1 : embedded.getPort();
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
