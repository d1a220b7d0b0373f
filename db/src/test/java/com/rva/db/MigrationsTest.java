package com.rva.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Runs the real migrations (and the demo data) on H2 and on genuine PostgreSQL binaries. */
class MigrationsTest {

    @Test
    void migratesH2() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrations;DB_CLOSE_DELAY=-1");
        migrateAndCheck(ds, "h2");
    }

    @Test
    void migratesPostgreSql() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            migrateAndCheck(pg.getPostgresDatabase(), "postgresql");
            checkMonthlyPartitions(pg.getPostgresDatabase());
        }
    }

    private static void migrateAndCheck(DataSource ds, String vendor) throws SQLException {
        Flyway flyway = Flyway.configure().dataSource(ds)
                .locations("classpath:db/migration/" + vendor, "classpath:db/demo").load();
        // every versioned migration and the demo data (counted, so a new migration needs no edit here)
        int pending = flyway.info().pending().length;
        assertTrue(pending >= 3, "V1, the later migrations and the demo data at least: " + pending);
        assertEquals(pending, flyway.migrate().migrationsExecuted);
        // Applying again is a no-op: the demo data is idempotent.
        assertEquals(0, flyway.migrate().migrationsExecuted);

        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertEquals(2, count(st, "SELECT COUNT(*) FROM store"));
            // scopes go with the user, and with the store
            st.executeUpdate("INSERT INTO app_user (username, password_hash, display_name, created_at)"
                    + " VALUES ('m1', 'h', 'M', CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO app_user_store (username, store_id) VALUES ('m1', 2)");
            st.executeUpdate("INSERT INTO app_user_region (username, region_id) VALUES ('m1', 1)");
            st.executeUpdate("DELETE FROM app_user WHERE username = 'm1'");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM app_user_store") + count(st, "SELECT COUNT(*) FROM app_user_region"));
            assertEquals(2, count(st, "SELECT COUNT(*) FROM collector_account a JOIN store s ON s.id = a.store_id"
                    + " WHERE a.username = REPLACE(s.code, '_', '-')"), "the demo collectors' users map to their stores");
            st.executeUpdate("INSERT INTO customer (id, created_at) VALUES (5000, CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO visit (id, customer_id, store_id, started_at, ended_at, sighting_count)"
                    + " VALUES (5001, 5000, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
            insertSighting(c, 5002, "store_001/cam-1/1/0");
            SQLException duplicate = assertThrows(SQLException.class, () -> insertSighting(c, 5003, "store_001/cam-1/1/0"));
            assertEquals("23505", duplicate.getSQLState(), "unique violation on sighting.duplicate_id");
            st.executeUpdate("INSERT INTO face_template (id, customer_id, model_version, embedding, quality, created_at)"
                    + " VALUES (5004, 5000, 'm1', X'00000000', 0.9, CURRENT_TIMESTAMP)".replace("X'00000000'",
                            vendor.equals("postgresql") ? "'\\x00000000'::bytea" : "X'00000000'"));
            st.executeUpdate("INSERT INTO customer (id, created_at) VALUES (5010, CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO customer_merge (id, survivor_id, absorbed_id, similarity, merge_threshold,"
                    + " merged_at) VALUES (5020, 5000, 5010, 0.6, 0.5, CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO customer_merge_item (merge_id, item_type, item_id) VALUES (5020, 'S', 5002)");
            // Deleting a customer removes everything recorded about it (erasure), its merge audit included.
            st.executeUpdate("DELETE FROM customer WHERE id = 5000");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM sighting") + count(st, "SELECT COUNT(*) FROM visit")
                    + count(st, "SELECT COUNT(*) FROM face_template") + count(st, "SELECT COUNT(*) FROM customer_merge")
                    + count(st, "SELECT COUNT(*) FROM customer_merge_item"));
        }
    }

    /**
     * visit and sighting are partitioned by month: a row of a month without partition lands in the default
     * partition; creating that month's partition moves it there; a second call creates nothing.
     */
    private static void checkMonthlyPartitions(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertEquals(2, count(st, "SELECT COUNT(*) FROM pg_partitioned_table p JOIN pg_class t ON t.oid = p.partrelid"
                    + " WHERE t.relname IN ('visit', 'sighting')"));
            // the current month and three ahead exist after the migration
            assertEquals(1, count(st, "SELECT COUNT(*) FROM pg_class WHERE relname = 'visit_'"
                    + " || to_char(CURRENT_DATE + INTERVAL '3 months', 'YYYYMM')"));
            st.executeUpdate("INSERT INTO customer (id, created_at) VALUES (6000, CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO visit (id, customer_id, store_id, started_at, ended_at, sighting_count)"
                    + " VALUES (6001, 6000, 1, TIMESTAMP '2031-05-10 10:00:00', TIMESTAMP '2031-05-10 10:20:00', 1)");
            st.executeUpdate("INSERT INTO sighting (id, duplicate_id, customer_id, store_id, camera_id, visit_id,"
                    + " captured_at, received_at, similarity, det_score, quality) VALUES (6002, 'store_001/cam-1/9/0',"
                    + " 6000, 1, 1, 6001, TIMESTAMP '2031-05-10 10:00:00', CURRENT_TIMESTAMP, 0.9, 0.9, 0.9)");
            assertEquals(1, count(st, "SELECT COUNT(*) FROM visit_default"));
            assertEquals(1, count(st, "SELECT COUNT(*) FROM sighting_default"));
            assertEquals(2, count(st, "SELECT rva_ensure_month_partitions('visit', 'started_at', DATE '2031-04-01',"
                    + " DATE '2031-05-01')"));
            assertEquals(1, count(st, "SELECT rva_ensure_month_partitions('sighting', 'captured_at', DATE '2031-05-20',"
                    + " DATE '2031-05-31')"));
            assertEquals(0, count(st, "SELECT rva_ensure_month_partitions('visit', 'started_at', DATE '2031-04-01',"
                    + " DATE '2031-05-01')"), "a second call creates nothing");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM visit_default") + count(st, "SELECT COUNT(*) FROM sighting_default"));
            assertEquals(1, count(st, "SELECT COUNT(*) FROM visit_203105 WHERE id = 6001"));
            assertEquals(1, count(st, "SELECT COUNT(*) FROM sighting_203105 WHERE id = 6002"));
            // the de-duplication key holds in the partitioned table (a redelivered crop has the same capturedAt)
            SQLException duplicate = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO sighting (id,"
                    + " duplicate_id, customer_id, store_id, camera_id, visit_id, captured_at, received_at, similarity,"
                    + " det_score, quality) VALUES (6003, 'store_001/cam-1/9/0', 6000, 1, 1, 6001,"
                    + " TIMESTAMP '2031-05-10 10:00:00', CURRENT_TIMESTAMP, 0.9, 0.9, 0.9)"));
            assertEquals("23505", duplicate.getSQLState());
            // a visit moved to another month (an earlier late crop) changes partition; erasure still cascades
            st.executeUpdate("UPDATE visit SET started_at = TIMESTAMP '2031-04-30 23:59:00' WHERE id = 6001");
            assertEquals(1, count(st, "SELECT COUNT(*) FROM visit_203104 WHERE id = 6001"));
            st.executeUpdate("DELETE FROM customer WHERE id = 6000");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM visit WHERE id = 6001")
                    + count(st, "SELECT COUNT(*) FROM sighting WHERE id = 6002"));
        }
    }

    private static void insertSighting(Connection c, long id, String duplicateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sighting (id, duplicate_id, customer_id, store_id,"
                + " camera_id, visit_id, captured_at, received_at, similarity, det_score, quality)"
                // a redelivered crop carries the same capturedAt (on PostgreSQL the key is (duplicate_id, captured_at))
                + " VALUES (?, ?, 5000, 1, 1, 5001, TIMESTAMP '2026-11-26 10:05:00', CURRENT_TIMESTAMP, 0.9, 0.9, 0.9)")) {
            ps.setLong(1, id);
            ps.setString(2, duplicateId);
            ps.executeUpdate();
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
