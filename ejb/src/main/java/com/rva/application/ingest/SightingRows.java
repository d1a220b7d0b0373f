package com.rva.application.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The product's one rule for recording a sighting in its visit (the ingest's, and {@link
 * DefaultVisitService#record(com.rva.domain.Sighting)} runs it too), as plain JDBC statements on the connection of the
 * caller's transaction, without building, registering and comparing entities at commit: per crop one duplicate check,
 * one read of the
 * touching visits, one insert of the sighting and one insert or update of the visit (JFR on the ingest bench: the
 * JPA path cost about as much CPU as the embedding).
 */
final class SightingRows {

    /** A new sighting, by the ids of what it refers to. Times are UTC. */
    record Row(String duplicateId, long customerId, long storeId, long cameraId, LocalDateTime capturedAt,
            LocalDateTime receivedAt, float similarity, float detScore, float quality) {
    }

    /** The stored sighting and the visit it belongs to. */
    record Recorded(long sightingId, long visitId) {
    }

    private record TouchingVisit(long id, LocalDateTime startedAt, LocalDateTime endedAt, int sightings) {
    }

    private SightingRows() {
    }

    /** Whether a sighting with this duplicate id is stored (a redelivered crop). */
    static boolean stored(Connection c, String duplicateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sighting WHERE duplicate_id = ?")) {
            ps.setString(1, duplicateId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Stores the sighting in the visit of its customer and store within {@code gap} (stretched to cover it), joining
     * the visits it bridges into the earliest, or in a new visit.
     *
     * @param ids new ids from the entities' sequence
     */
    static Recorded record(Connection c, Row row, Duration gap, LongSupplier ids) throws SQLException {
        LocalDateTime t = row.capturedAt();
        List<TouchingVisit> touching = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, ended_at, sighting_count FROM visit"
                + " WHERE customer_id = ? AND store_id = ? AND ended_at >= ? AND started_at <= ? ORDER BY started_at")) {
            ps.setLong(1, row.customerId());
            ps.setLong(2, row.storeId());
            ps.setObject(3, t.minus(gap));
            ps.setObject(4, t.plus(gap));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    touching.add(new TouchingVisit(rs.getLong(1), rs.getObject(2, LocalDateTime.class),
                            rs.getObject(3, LocalDateTime.class), rs.getInt(4)));
                }
            }
        }
        long visitId;
        if (touching.isEmpty()) {
            visitId = ids.getAsLong();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO visit (id, customer_id, store_id, started_at,"
                    + " ended_at, sighting_count) VALUES (?, ?, ?, ?, ?, 1)")) {
                ps.setLong(1, visitId);
                ps.setLong(2, row.customerId());
                ps.setLong(3, row.storeId());
                ps.setObject(4, t);
                ps.setObject(5, t);
                ps.executeUpdate();
            }
        } else {
            TouchingVisit first = touching.get(0);
            visitId = first.id();
            LocalDateTime started = first.startedAt();
            LocalDateTime ended = first.endedAt();
            int sightings = first.sightings();
            for (TouchingVisit other : touching.subList(1, touching.size())) {
                // the sighting links them: the later visits' sightings move to the first, which absorbs them
                try (PreparedStatement ps = c.prepareStatement("UPDATE sighting SET visit_id = ? WHERE visit_id = ?")) {
                    ps.setLong(1, visitId);
                    ps.setLong(2, other.id());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM visit WHERE id = ?")) {
                    ps.setLong(1, other.id());
                    ps.executeUpdate();
                }
                started = min(started, other.startedAt());
                ended = max(ended, other.endedAt());
                sightings += other.sightings();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET started_at = ?, ended_at = ?,"
                    + " sighting_count = ? WHERE id = ?")) {
                ps.setObject(1, min(started, t));
                ps.setObject(2, max(ended, t));
                ps.setInt(3, sightings + 1);
                ps.setLong(4, visitId);
                ps.executeUpdate();
            }
        }
        long sightingId = ids.getAsLong();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sighting (id, duplicate_id, customer_id, store_id,"
                + " camera_id, visit_id, captured_at, received_at, similarity, det_score, quality)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, sightingId);
            ps.setString(2, row.duplicateId());
            ps.setLong(3, row.customerId());
            ps.setLong(4, row.storeId());
            ps.setLong(5, row.cameraId());
            ps.setLong(6, visitId);
            ps.setObject(7, t);
            ps.setObject(8, row.receivedAt());
            ps.setFloat(9, row.similarity());
            ps.setFloat(10, row.detScore());
            ps.setFloat(11, row.quality());
            ps.executeUpdate();
        }
        return new Recorded(sightingId, visitId);
    }

    private static LocalDateTime min(LocalDateTime a, LocalDateTime b) {
        return b.isBefore(a) ? b : a;
    }

    private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
        return b.isAfter(a) ? b : a;
    }
}
