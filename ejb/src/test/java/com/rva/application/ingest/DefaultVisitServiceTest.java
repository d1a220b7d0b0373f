package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/** Visit grouping against the real schema on H2, with EclipseLink outside the server. */
class DefaultVisitServiceTest {

    static final Duration GAP = Duration.ofMinutes(30);
    static final LocalDateTime T0 = LocalDateTime.of(2024, 11, 26, 10, 5);
    static final AtomicInteger FRAMES = new AtomicInteger();

    private static EntityManagerFactory emf;

    EntityManager em;
    private DefaultVisitService visits;
    Customer customer;
    private Camera store1Camera;
    private Camera store2Camera;

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:visits;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/h2", "classpath:db/demo").load().migrate();
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        props.put("jakarta.persistence.jtaDataSource", "");
        props.put("jakarta.persistence.nonJtaDataSource", ds);
        props.put("eclipselink.target-server", "None");
        props.put("eclipselink.logging.level", "WARNING");
        emf = Persistence.createEntityManagerFactory("rva", props);
    }

    @AfterAll
    static void close() {
        emf.close();
    }

    @BeforeEach
    void begin() {
        em = emf.createEntityManager();
        visits = new DefaultVisitService();
        visits.em = em;
        em.getTransaction().begin();
        customer = new Customer(T0);
        em.persist(customer);
        store1Camera = camera("store_001");
        store2Camera = camera("store_002");
    }

    @AfterEach
    void end() {
        em.getTransaction().rollback();
        em.close();
    }

    private Camera camera(String storeCode) {
        Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", storeCode).getSingleResult();
        return em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", "cam-1").getSingleResult();
    }

    /** Records a sighting of {@link #customer} through the path under test; the visit it belongs to now. */
    Visit see(Camera camera, LocalDateTime at) {
        Sighting s = new Sighting("store/cam/" + FRAMES.incrementAndGet() + "/0", customer, camera, at, at, 0.9f, 0.9f,
                0.9f);
        Visit v = visits.record(s, GAP);
        em.flush();
        return v;
    }

    private List<Visit> visitsOfCustomer() {
        return em.createQuery("SELECT v FROM Visit v WHERE v.customer = :c ORDER BY v.startedAt", Visit.class)
                .setParameter("c", customer).getResultList();
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

    @Test
    void sightingsFiveMinutesApartAreOneVisit() {
        Visit a = see(store1Camera, T0);
        Visit b = see(store1Camera, T0.plusMinutes(5));
        assertEquals(a.getId(), b.getId());
        assertEquals(1, visitsOfCustomer().size());
        assertEquals(2, b.getSightingCount());
        assertEquals(Duration.ofMinutes(5), b.dwell());
    }

    @Test
    void aGapOfExactlyTheVisitGapStillJoins() {
        Visit a = see(store1Camera, T0);
        Visit b = see(store1Camera, T0.plus(GAP));
        assertEquals(a.getId(), b.getId());
    }

    @Test
    void sightingsFortyMinutesApartAreTwoVisits() {
        Visit a = see(store1Camera, T0);
        Visit b = see(store1Camera, T0.plusMinutes(40));
        assertNotEquals(a.getId(), b.getId());
        assertEquals(2, visitsOfCustomer().size());
    }

    @Test
    void aLateSightingBeforeAVisitStretchesItsStart() {
        see(store1Camera, T0);
        Visit v = see(store1Camera, T0.minusMinutes(10));
        assertEquals(T0.minusMinutes(10), v.getStartedAt());
        assertEquals(T0, v.getEndedAt());
    }

    @Test
    void aLateSightingThatBridgesTwoVisitsMergesThem() {
        Visit first = see(store1Camera, T0);
        see(store1Camera, T0.plusMinutes(2));
        Visit second = see(store1Camera, T0.plusMinutes(40));
        assertNotEquals(first.getId(), second.getId());

        Visit merged = see(store1Camera, T0.plusMinutes(20));
        List<Visit> all = visitsOfCustomer();
        assertEquals(1, all.size());
        assertEquals(merged.getId(), all.get(0).getId());
        assertEquals(4, merged.getSightingCount());
        assertEquals(T0, merged.getStartedAt());
        assertEquals(T0.plusMinutes(40), merged.getEndedAt());
        long sightingsInIt = em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.visit = :v", Long.class)
                .setParameter("v", merged).getSingleResult();
        assertEquals(4, sightingsInIt, "the absorbed visit's sightings moved over");
    }

    @Test
    void visitsAreKeptPerStore() {
        Visit a = see(store1Camera, T0);
        Visit b = see(store2Camera, T0.plusMinutes(5));
        assertNotEquals(a.getId(), b.getId());
        assertEquals(a.getStore().getCode(), "store_001");
        assertEquals(b.getStore().getCode(), "store_002");
    }
}
