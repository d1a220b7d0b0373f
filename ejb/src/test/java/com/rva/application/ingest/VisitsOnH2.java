package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.Store;
import com.rva.domain.Visit;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * The real schema on H2 (Flyway, demo stores) with EclipseLink outside the server; each test runs in a transaction
 * that is rolled back, with a new customer and a camera in each of two stores.
 */
abstract class VisitsOnH2 {

    static final Duration GAP = Duration.ofMinutes(30);
    static final LocalDateTime T0 = LocalDateTime.of(2024, 11, 26, 10, 5);
    static final AtomicInteger FRAMES = new AtomicInteger();

    private static EntityManagerFactory emf;

    EntityManager em;
    Customer customer;
    Camera store1Camera;
    Camera store2Camera;

    /** One expected visit of {@link #customer}: its store, first and last sighting and how many sightings it has. */
    record Expected(String store, LocalDateTime startedAt, LocalDateTime endedAt, int sightings) {
    }

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

    List<Visit> visitsOfCustomer() {
        return em.createQuery("SELECT v FROM Visit v WHERE v.customer = :c ORDER BY v.startedAt", Visit.class)
                .setParameter("c", customer).getResultList();
    }

    /** {@link #customer}'s visits, as the database has them now, are exactly these (by start time). */
    void assertVisits(Expected... expected) {
        em.clear(); // rows written behind the persistence context's back
        customer = em.find(Customer.class, customer.getId());
        List<Visit> actual = visitsOfCustomer();
        assertEquals(List.of(expected), actual.stream().map(v -> new Expected(v.getStore().getCode(), v.getStartedAt(),
                v.getEndedAt(), v.getSightingCount())).toList());
        for (Visit v : actual) {
            assertEquals(v.getSightingCount(), em.createQuery("SELECT COUNT(s) FROM Sighting s WHERE s.visit = :v",
                    Long.class).setParameter("v", v).getSingleResult().intValue(), "the sightings that point at visit "
                    + v.getId() + " are as many as it counts");
        }
    }
}
