package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;

import org.eclipse.persistence.sessions.Session;
import org.junit.jupiter.api.Test;

import com.rva.domain.Camera;
import com.rva.domain.Sighting;

/**
 * The visit rule ({@link SightingRows#record}, the ingest's and the product's only one): each scenario's expected
 * visits are written out, on the real schema on H2, on the persistence context's own connection (as in the server).
 */
class SightingRowsTest extends VisitsOnH2 {

    /** Records a sighting of {@link #customer}; the id of the visit it belongs to now. */
    long see(Camera camera, LocalDateTime at) {
        try {
            SightingRows.Recorded r = SightingRows.record(connection(), row("store/cam/" + FRAMES.incrementAndGet() + "/0",
                    camera, at), GAP, this::nextId);
            assertEquals(r.visitId(), em.find(Sighting.class, r.sightingId()).getVisit().getId());
            return r.visitId();
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
    void theFirstSightingOpensAVisit() {
        see(store1Camera, T0);
        assertVisits(new Expected("store_001", T0, T0, 1));
    }

    @Test
    void sightingsFiveMinutesApartAreOneVisit() {
        long a = see(store1Camera, T0);
        long b = see(store1Camera, T0.plusMinutes(5));
        assertEquals(a, b);
        assertVisits(new Expected("store_001", T0, T0.plusMinutes(5), 2));
    }

    @Test
    void aGapOfExactlyTheVisitGapStillJoins() {
        long a = see(store1Camera, T0);
        long b = see(store1Camera, T0.plus(GAP));
        assertEquals(a, b);
        assertVisits(new Expected("store_001", T0, T0.plus(GAP), 2));
    }

    @Test
    void sightingsFortyMinutesApartAreTwoVisits() {
        long a = see(store1Camera, T0);
        long b = see(store1Camera, T0.plusMinutes(40));
        assertNotEquals(a, b);
        assertVisits(new Expected("store_001", T0, T0, 1), new Expected("store_001", T0.plusMinutes(40),
                T0.plusMinutes(40), 1));
    }

    @Test
    void aLateSightingInsideAVisitOnlyCounts() {
        long a = see(store1Camera, T0);
        see(store1Camera, T0.plusMinutes(20));
        assertEquals(a, see(store1Camera, T0.plusMinutes(10)));
        assertVisits(new Expected("store_001", T0, T0.plusMinutes(20), 3));
    }

    @Test
    void aLateSightingBeforeAVisitStretchesItsStart() {
        long a = see(store1Camera, T0);
        assertEquals(a, see(store1Camera, T0.minusMinutes(10)));
        assertVisits(new Expected("store_001", T0.minusMinutes(10), T0, 2));
    }

    @Test
    void aLateSightingThatBridgesTwoVisitsMergesThemIntoTheEarlier() {
        long first = see(store1Camera, T0);
        see(store1Camera, T0.plusMinutes(2));
        long second = see(store1Camera, T0.plusMinutes(40));
        assertNotEquals(first, second);
        assertVisits(new Expected("store_001", T0, T0.plusMinutes(2), 2), new Expected("store_001", T0.plusMinutes(40),
                T0.plusMinutes(40), 1));

        assertEquals(first, see(store1Camera, T0.plusMinutes(20)));
        assertVisits(new Expected("store_001", T0, T0.plusMinutes(40), 4));
    }

    @Test
    void visitsAreKeptPerStore() {
        long a = see(store1Camera, T0);
        long b = see(store2Camera, T0.plusMinutes(5));
        assertNotEquals(a, b);
        assertVisits(new Expected("store_001", T0, T0, 1), new Expected("store_002", T0.plusMinutes(5),
                T0.plusMinutes(5), 1));
    }

    @Test
    void aStoredDuplicateIdIsFoundAndCannotBeStoredTwice() throws SQLException {
        String id = "store/cam/" + FRAMES.incrementAndGet() + "/0";
        assertFalse(SightingRows.stored(connection(), id));
        SightingRows.record(connection(), row(id, store1Camera, T0), GAP, this::nextId);
        assertTrue(SightingRows.stored(connection(), id));
        Sighting s = em.createNamedQuery(Sighting.BY_DUPLICATE_ID, Sighting.class).setParameter("duplicateId", id)
                .getSingleResult();
        assertEquals(customer.getId(), s.getCustomer().getId());
        assertEquals(store1Camera.getId(), s.getCamera().getId());
        assertEquals(store1Camera.getStore().getId(), s.getStore().getId());
        assertEquals(T0, s.getCapturedAt());
        assertEquals(0.9f, s.getSimilarity());
        // two deliveries racing past the check: the unique key refuses the second (its transaction rolls back)
        assertThrows(SQLException.class, () -> SightingRows.record(connection(), row(id, store1Camera, T0), GAP,
                this::nextId));
    }
}
