package com.rva.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.batch.JobParameterException;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code ./rva generate ...} and {@code ./rva bench aggregates ...}: see {@link #USAGE}. Exit status 2 on
 * bad options (with a message naming the option), 1 on any other failure.
 */
public final class BenchMain {

    private static final Logger LOG = Logger.getLogger(BenchMain.class.getName());

    static final String USAGE = """
            usage: generate [--visits N] [--stores 1000] [--regions 20] [--days 365] [--customers N]
                            [--max-sightings 3] [--seed 1] [--state-dir DIR | --jdbc-url URL --user U --password P]
                   aggregates --wildfly-home DIR --ear FILE --postgresql-cli FILE [--port-offset 1600] [--partitions 2]
                              [--stores-per-chunk 10] [--work-dir DIR] [--startup-seconds 600] [--state-dir DIR | --jdbc-url URL ...]
                   portal --wildfly-home DIR --ear FILE --postgresql-cli FILE [--port-offset 1400] [--requests 20]
                          [--warmup 25] [--month YYYY-MM] [--portal-days fill|refill|off] [--timing true] [--jfr true] [--roles admin,regional,store] [--merge-threads N] [--work-dir DIR] [--startup-seconds 600] [--state-dir DIR | --jdbc-url URL ...]
            Without --jdbc-url an embedded PostgreSQL keeps its data in DIR/pgdata (default ./.rva-pg).""";

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %5$s%6$s%n");
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "generate" -> generate(rest);
                case "aggregates" -> aggregates(rest);
                case "portal" -> portal(rest);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
            }
        } catch (IllegalArgumentException | JobParameterException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("ERROR: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Generator.Result generate(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("visits", "stores", "regions", "days", "customers", "max-sightings", "seed",
                "state-dir", "jdbc-url", "user", "password", "pg-port"));
        long visits = o.positive("visits", 20_000_000);
        int stores = (int) o.positive("stores", 1000);
        int regions = (int) o.positive("regions", 20);
        int days = (int) o.positive("days", 365);
        long customers = o.positive("customers", Math.max(1, visits / 8));
        int maxSightings = (int) o.positive("max-sightings", 3);
        long seed = o.positive("seed", 1);
        Generator g = new Generator(visits, stores, regions, days, customers, maxSightings, seed,
                LocalDate.now(ZoneOffset.UTC));
        try (PgTarget target = PgTarget.open(o)) {
            migrate(target);
            Generator.Result r = g.run(target);
            System.out.printf("Generated %,d customers, %,d visits, %,d sightings in %.1f s (%,.0f rows/s)%n",
                    r.customers(), r.visits(), r.sightings(), r.seconds(),
                    (r.customers() + r.visits() + r.sightings()) / r.seconds());
            if (target.embedded()) {
                System.out.println("The data is in " + target.dataDir + " (embedded PostgreSQL, stopped now)."
                        + "\nBenchmarks use it with the same --state-dir; to connect by hand start it with"
                        + "\n  pg_ctl -D " + target.dataDir + " -o '-p 5432' start   (then: psql -h localhost -U postgres)"
                        + "\nwith the pg_ctl of the extracted binaries (" + System.getProperty("java.io.tmpdir")
                        + "/embedded-pg/*/bin), or point the application at it (README: Running on PostgreSQL).");
            } else {
                System.out.println("The data is in " + target.url);
            }
            System.out.println("GENERATE visits=" + r.visits() + " sightings=" + r.sightings() + " customers="
                    + r.customers() + " seconds=" + String.format("%.1f", r.seconds()));
            return r;
        }
    }

    static AggregatesBench.Result aggregates(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("state-dir", "jdbc-url", "user", "password", "pg-port", "partitions",
                "stores-per-chunk", "wildfly-home", "ear", "postgresql-cli", "work-dir", "port-offset", "startup-seconds"));
        // the job's defaults unless told otherwise (and refused by the job's own rules)
        int partitions = DailyAggregatesParameters.partitions(o.string("partitions", null));
        int storesPerChunk = DailyAggregatesParameters.storesPerChunk(o.string("stores-per-chunk", null));
        BenchServer.Build build = build(o);
        int portOffset = (int) o.positive("port-offset", 1600);
        java.nio.file.Path work = workDir(o, "aggregates-bench");
        try (PgTarget target = PgTarget.open(o)) {
            migrate(target);
            AggregatesBench.Result r = new AggregatesBench(target, build, work, portOffset,
                    (int) o.positive("startup-seconds", 600), partitions, storesPerChunk).run();
            System.out.printf("daily-aggregates (JBeret execution %d in WildFly on PostgreSQL: %d partitions, %d stores per"
                    + " chunk, %,d store-days): %.1f s by the execution (%.1f s wall from the POST), %,.0f visits/s%n",
                    r.executionId(), partitions, storesPerChunk, r.storeDays(), r.jobSeconds(), r.wallSeconds(),
                    r.visits() / r.jobSeconds());
            System.out.printf("bare SQL GROUP BY (same numbers incl. the portal's customer sets, one connection): %.1f s,"
                    + " %,.0f visits/s%n", r.sqlSeconds(), r.visits() / r.sqlSeconds());
            System.out.printf("ratio job / bare SQL: %.2f (goal <= 1.5); results %s%n", r.ratio(),
                    r.equal() ? "identical" : "DIFFER");
            // seconds to the millisecond: at a test's size the bare SQL takes a few hundredths of a second
            System.out.printf("BENCH aggregates visits=%d store_days=%d partitions=%d stores_per_chunk=%d job_s=%.3f"
                    + " wall_s=%.3f sql_s=%.3f ratio=%.2f rows_per_s=%.0f sql_rows_per_s=%.0f equal=%s%n", r.visits(),
                    r.storeDays(), partitions, storesPerChunk, r.jobSeconds(), r.wallSeconds(), r.sqlSeconds(), r.ratio(),
                    r.visits() / r.jobSeconds(), r.visits() / r.sqlSeconds(), r.equal());
            return r;
        }
    }

    /** The built server the in-server benchmarks copy: {@code --wildfly-home}, {@code --ear}, {@code --postgresql-cli}. */
    private static BenchServer.Build build(Options o) {
        for (String required : List.of("wildfly-home", "ear", "postgresql-cli")) {
            if (!o.has(required)) {
                throw new IllegalArgumentException("--" + required + " is needed\n" + USAGE);
            }
        }
        return new BenchServer.Build(java.nio.file.Path.of(o.string("wildfly-home", null)).toAbsolutePath(),
                java.nio.file.Path.of(o.string("ear", null)).toAbsolutePath(),
                java.nio.file.Path.of(o.string("postgresql-cli", null)).toAbsolutePath());
    }

    private static java.nio.file.Path workDir(Options o, String name) {
        return java.nio.file.Path.of(o.string("work-dir",
                java.nio.file.Path.of(o.string("state-dir", ".rva-pg")).resolve(name).toString())).toAbsolutePath();
    }

    static PortalBench.Result portal(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("state-dir", "jdbc-url", "user", "password", "pg-port", "wildfly-home", "ear",
                "postgresql-cli", "work-dir", "port-offset", "warmup", "requests", "month", "startup-seconds", "portal-days",
                "timing", "jfr", "roles", "merge-threads"));
        String portalDays = o.string("portal-days", "fill");
        if (!List.of("fill", "refill", "off").contains(portalDays)) {
            throw new IllegalArgumentException("--portal-days must be fill, refill or off, not '" + portalDays + "'");
        }
        BenchServer.Build build = build(o);
        java.time.YearMonth month = null;
        if (o.has("month")) {
            try {
                month = java.time.YearMonth.parse(o.string("month", null));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("--month must be a month like 2026-10, not '" + o.string("month", null) + "'");
            }
        }
        int portOffset = (int) o.positive("port-offset", 1400);
        int requests = (int) o.positive("requests", 20);
        int warmup = (int) o.positive("warmup", 25); // the JIT settles the large merges after ≈ 20 requests (docs/portal-and-api.md)
        java.nio.file.Path work = workDir(o, "portal-bench");
        try (PgTarget target = PgTarget.open(o)) {
            migrate(target);
            PortalBench.Result r = new PortalBench(target, build, work, portOffset, warmup, requests, month,
                    (int) o.positive("startup-seconds", 600), portalDays,
                    new PortalBench.Diagnostics(flag(o, "timing"), flag(o, "jfr"), o.has("roles")
                            ? List.of(o.string("roles", "").split(",")) : List.of(),
                            o.has("merge-threads") ? (int) o.positive("merge-threads", 1) : 0)).run();
            System.out.printf("%nPortal on PostgreSQL, %,d visits, month %s, %d requests per page and role after %d warm-up%n",
                    r.visits(), r.month(), requests, warmup);
            System.out.printf("%-9s %-18s %9s %9s %9s | %12s %12s%n", "page", "role", "p50 ms", "p95 ms", "max ms",
                    "bare SQL p50", "bare SQL p95");
            for (PortalBench.Timings t : r.timings()) {
                System.out.printf("%-9s %-18s %9.1f %9.1f %9.1f | %12.1f %12.1f%n", t.page(), t.role(), t.portal(0.5),
                        t.portal(0.95), t.portal(1), t.sql(0.5), t.sql(0.95));
            }
            double dp50 = r.p("dashboard", 0.5, true);
            double dp95 = r.p("dashboard", 0.95, true);
            double cp50 = r.p("customers", 0.5, true);
            double cp95 = r.p("customers", 0.95, true);
            double worst = Math.max(dp95, cp95);
            double sqlWorst = Math.max(r.p("dashboard", 0.95, false), r.p("customers", 0.95, false));
            System.out.printf("all roles: dashboard p50 %.1f ms p95 %.1f ms; customers p50 %.1f ms p95 %.1f ms;"
                    + " goal p95 <= %.0f ms %s%n", dp50, dp95, cp50, cp95, PortalBench.GOAL_P95_MS,
                    worst <= PortalBench.GOAL_P95_MS ? "met" : "MISSED");
            System.out.printf("BENCH portal visits=%d dashboard_p50_ms=%.1f dashboard_p95_ms=%.1f customers_p50_ms=%.1f"
                    + " customers_p95_ms=%.1f goal_ratio=%.2f sql_ratio=%.2f portal_days=%s merge_threads=%s%n", r.visits(),
                    dp50, dp95, cp50, cp95, worst / PortalBench.GOAL_P95_MS, worst / sqlWorst, portalDays,
                    o.has("merge-threads") ? o.string("merge-threads", null) : "default");
            return r;
        }
    }

    /** {@code --name true|false}, false when absent. */
    static boolean flag(Options o, String name) {
        String v = o.string(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + " must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** Brings the schema up to date with the application's own migrations (Flyway, as the server does). */
    static void migrate(PgTarget target) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(target.url);
        ds.setUser(target.user);
        ds.setPassword(target.password);
        migrate(ds);
    }

    static void migrate(DataSource ds) {
        var result = Flyway.configure(BenchMain.class.getClassLoader()).dataSource(ds)
                .locations("classpath:db/migration/postgresql")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        LOG.info(() -> "Schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted + " applied now)");
    }
}
