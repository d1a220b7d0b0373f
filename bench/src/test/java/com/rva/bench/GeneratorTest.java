package com.rva.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of {@code ./rva generate} (the command's own code path) into an embedded PostgreSQL. */
class GeneratorTest {

    @TempDir
    Path state;

    @Test
    void generatesAConsistentChain() throws Exception {
        List<String> args = List.of("--visits", "5000", "--stores", "20", "--regions", "4", "--days", "40",
                "--customers", "800", "--state-dir", state.toString());
        Generator.Result r = BenchMain.generate(args);
        assertEquals(5_000, r.visits());
        assertEquals(800, r.customers());

        try (PgTarget pg = PgTarget.open(new Options(List.of("--state-dir", state.toString()),
                java.util.Set.of("state-dir"))); Connection c = pg.connect(); Statement st = c.createStatement()) {
            assertEquals(5_000, count(st, "SELECT COUNT(*) FROM visit"));
            assertEquals(r.sightings(), count(st, "SELECT COUNT(*) FROM sighting"));
            assertEquals(20, count(st, "SELECT COUNT(*) FROM store WHERE code LIKE 'gen_s%'"));
            assertEquals(4, count(st, "SELECT COUNT(DISTINCT region_id) FROM store WHERE code LIKE 'gen_s%'"));
            // every customer visits at least once, and customers come back: some visit many times
            assertEquals(800, count(st, "SELECT COUNT(DISTINCT customer_id) FROM visit"));
            assertTrue(count(st, "SELECT COUNT(*) FROM (SELECT customer_id FROM visit GROUP BY customer_id"
                    + " HAVING COUNT(*) >= 15) x") > 5, "loyal customers");
            // most of a customer's visits are to one store, but not all
            long atFavourite = count(st, "SELECT SUM(m) FROM (SELECT MAX(n) m FROM (SELECT customer_id, store_id,"
                    + " COUNT(*) n FROM visit GROUP BY 1, 2) a GROUP BY customer_id) b");
            assertTrue(atFavourite > 3_500 && atFavourite < 4_900, "visits at the favourite store: " + atFavourite);
            // sighting_count and dwell agree with the sighting rows
            assertEquals(0, count(st, "SELECT COUNT(*) FROM visit v WHERE v.sighting_count <> (SELECT COUNT(*)"
                    + " FROM sighting s WHERE s.visit_id = v.id) OR v.started_at <> (SELECT MIN(captured_at) FROM sighting s"
                    + " WHERE s.visit_id = v.id) OR v.ended_at <> (SELECT MAX(captured_at) FROM sighting s WHERE s.visit_id = v.id)"));
            // store-local opening hours 08:00-21:00
            assertEquals(0, count(st, "SELECT COUNT(*) FROM visit v JOIN store s ON s.id = v.store_id"
                    + " WHERE EXTRACT(HOUR FROM (v.started_at AT TIME ZONE 'UTC') AT TIME ZONE s.time_zone) NOT BETWEEN 8 AND 20"));
            // everything is in monthly partitions, nothing in the default ones
            assertEquals(0, count(st, "SELECT COUNT(*) FROM visit_default") + count(st, "SELECT COUNT(*) FROM sighting_default"));
            // the secondary indexes dropped for the load are back (parents and every partition)
            assertEquals(9, count(st, "SELECT COUNT(*) FROM pg_indexes WHERE tablename IN ('visit', 'sighting')"
                    + " AND indexname LIKE 'ix%'"));
            assertTrue(count(st, "SELECT COUNT(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
                    + " WHERE p.relname = 'ix_visit_store_started'") >= 2, "the partitions have their share of the index");
            // the application can go on: ids come after the generated ones
            assertTrue(count(st, "SELECT nextval('rva_id_seq')") > count(st, "SELECT MAX(id) FROM sighting"));
        }
        // a second run into the same database is refused rather than doubling the data
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> BenchMain.generate(args));
        assertTrue(again.getMessage().contains("already holds generated data"), again.getMessage());
    }

    @Test
    void refusesBadOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchMain.generate(List.of("--visits", "-5")));
        assertTrue(e.getMessage().contains("--visits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchMain.generate(List.of("--visitz", "5")));
        assertTrue(e.getMessage().contains("unknown option --visitz"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BenchMain.generate(List.of("--visits", "10", "--customers", "11")));
        assertTrue(e.getMessage().contains("--customers"), e.getMessage());
        // ./rva bench aggregates runs the job in the built server (BenchAggregatesIT runs it whole)
        e = assertThrows(IllegalArgumentException.class, () -> BenchMain.aggregates(List.of("--ear", "x.ear")));
        assertTrue(e.getMessage().contains("--wildfly-home is needed"), e.getMessage());
        RuntimeException p = assertThrows(com.rva.application.batch.JobParameterException.class,
                () -> BenchMain.aggregates(List.of("--partitions", "0")));
        assertTrue(p.getMessage().contains("partitions"), p.getMessage());
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
