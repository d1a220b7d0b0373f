package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;

/**
 * The visit service on the real schema on H2, with EclipseLink outside the server: recording goes through the
 * ingest's rule ({@link SightingRowsTest} has its scenarios), rebuilding after a merge or its undo regroups.
 */
class DefaultVisitServiceTest extends VisitsOnH2 {

    private DefaultVisitService visits;

    @BeforeEach
    void service() {
        visits = new DefaultVisitService();
        visits.em = em;
    }

    /** Records a sighting of {@link #customer} through the service; the visit it belongs to now. */
    Visit see(Camera camera, LocalDateTime at) {
        Sighting s = new Sighting("store/cam/" + FRAMES.incrementAndGet() + "/0", customer, camera, at, at, 0.9f, 0.8f,
                0.7f);
        return visits.record(s, GAP);
    }

    @Test
    void recordingRunsTheIngestRuleAndReturnsTheVisitAsStored() {
        Visit a = see(store1Camera, T0);
        Visit b = see(store1Camera, T0.plusMinutes(5));
        assertEquals(a.getId(), b.getId());
        assertEquals(2, b.getSightingCount());
        assertEquals(Duration.ofMinutes(5), b.dwell());
        Visit c = see(store1Camera, T0.plusMinutes(40));
        assertNotEquals(a.getId(), c.getId());
        Sighting stored = em.createQuery("SELECT s FROM Sighting s WHERE s.customer = :c AND s.capturedAt = :t",
                Sighting.class).setParameter("c", customer).setParameter("t", T0.plusMinutes(40)).getSingleResult();
        assertEquals(0.8f, stored.getDetScore());
        assertEquals(0.7f, stored.getQuality());
        assertEquals(c.getId(), stored.getVisit().getId());
        assertVisits(new Expected("store_001", T0, T0.plusMinutes(5), 2), new Expected("store_001", T0.plusMinutes(40),
                T0.plusMinutes(40), 1));
    }

    @Test
    void rebuildingAfterSightingsMovedBetweenCustomersKeepsEverySighting() {
        see(store1Camera, T0);
        see(store1Camera, T0.plusMinutes(40));
        Customer other = new Customer(T0);
        em.persist(other);
        Customer first = customer;
        customer = other;
        Visit otherVisit = see(store1Camera, T0.plusMinutes(20));
        customer = first;
        Store store = store1Camera.getStore();
        // a merge moves the other's sighting (still pointing at the other's visit) to this customer
        em.createQuery("UPDATE Sighting s SET s.customer = :to WHERE s.customer = :from").setParameter("to", first)
                .setParameter("from", other).executeUpdate();
        em.clear();
        visits.rebuild(em.find(Store.class, store.getId()), List.of(em.find(Customer.class, first.getId()),
                em.find(Customer.class, other.getId())), GAP);
        em.clear();
        customer = em.find(Customer.class, first.getId());
        List<Visit> merged = visitsOfCustomer();
        assertEquals(1, merged.size(), "the moved sighting bridges the two visits");
        assertEquals(3, merged.get(0).getSightingCount());
        assertEquals(3L, em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.customer = :c", Long.class)
                .setParameter("c", customer).getSingleResult(), "no sighting was lost with the old visits");
        assertEquals(null, em.find(Visit.class, otherVisit.getId()));

        // and back (an undo): two customers, three visits, still three sightings
        em.createQuery("UPDATE Sighting s SET s.customer = :to WHERE s.capturedAt = :t").setParameter("to",
                em.find(Customer.class, other.getId())).setParameter("t", T0.plusMinutes(20)).executeUpdate();
        em.clear();
        visits.rebuild(em.find(Store.class, store.getId()), List.of(em.find(Customer.class, first.getId()),
                em.find(Customer.class, other.getId())), GAP);
        em.clear();
        customer = em.find(Customer.class, first.getId());
        assertEquals(2, visitsOfCustomer().size());
        customer = em.find(Customer.class, other.getId());
        assertEquals(1, visitsOfCustomer().size());
        assertEquals(3L, em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.customer.id IN :c", Long.class)
                .setParameter("c", List.of(first.getId(), other.getId())).getSingleResult());
    }
}
