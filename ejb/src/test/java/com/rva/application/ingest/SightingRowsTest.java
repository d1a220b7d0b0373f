package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

import org.eclipse.persistence.sessions.Session;
import org.junit.jupiter.api.Test;

import com.rva.domain.Camera;
import com.rva.domain.Sighting;
import com.rva.domain.Visit;

/**
 * The ingest's JDBC writes of a sighting and its visit follow the same visit rule as the JPA path: every scenario of
 * {@link DefaultVisitServiceTest} runs again with {@link SightingRows#record} recording the sightings, on the real
 * schema on H2, on the persistence context's own connection (as in the server).
 */
class SightingRowsTest extends DefaultVisitServiceTest {

    @Override
    Visit see(Camera camera, LocalDateTime at) {
        try {
            SightingRows.Recorded r = SightingRows.record(connection(), row("store/cam/" + FRAMES.incrementAndGet() + "/0",
                    camera, at), GAP, this::nextId);
            Visit v = em.find(Visit.class, r.visitId());
            em.refresh(v); // written behind the persistence context's back
            assertEquals(r.visitId(), em.find(Sighting.class, r.sightingId()).getVisit().getId());
            return v;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private SightingRows.Row row(String duplicateId, Camera camera, LocalDateTime at) {
        return new SightingRows.Row(duplicateId, customer.getId(), camera.getStore().getId(), camera.getId(), at, at,
                0.9f, 0.8f, 0.7f);
    }

    private Connection connection() {
        em.flush(); // the customer's row first, as the ingest does after an enrolment
        return em.unwrap(Connection.class);
    }

    private long nextId() {
        return ((Number) em.unwrap(Session.class).getNextSequenceNumberValue(Sighting.class)).longValue();
    }

    @Test
    void aStoredDuplicateIdIsFoundAndCannotBeStoredTwice() throws SQLException {
        Camera camera = em.createQuery("SELECT c FROM Camera c WHERE c.code = 'cam-1' ORDER BY c.id", Camera.class)
                .setMaxResults(1).getSingleResult();
        String id = "store/cam/" + FRAMES.incrementAndGet() + "/0";
        assertFalse(SightingRows.stored(connection(), id));
        SightingRows.record(connection(), row(id, camera, T0), GAP, this::nextId);
        assertTrue(SightingRows.stored(connection(), id));
        Sighting s = em.createNamedQuery(Sighting.BY_DUPLICATE_ID, Sighting.class).setParameter("duplicateId", id)
                .getSingleResult();
        assertEquals(customer.getId(), s.getCustomer().getId());
        assertEquals(camera.getId(), s.getCamera().getId());
        assertEquals(camera.getStore().getId(), s.getStore().getId());
        assertEquals(T0, s.getCapturedAt());
        assertEquals(0.9f, s.getSimilarity());
        // two deliveries racing past the check: the unique key refuses the second (its transaction rolls back)
        assertThrows(SQLException.class, () -> SightingRows.record(connection(), row(id, camera, T0), GAP,
                this::nextId));
    }
}
