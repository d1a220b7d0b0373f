package com.rva.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;

/**
 * The entities and named queries of the "rva" unit against the Flyway schema, with EclipseLink outside
 * the server, on H2 and on real PostgreSQL: ids from the sequence, UTC LocalDateTime round trips,
 * embeddings as bytes, the unique duplicate id.
 */
class JpaMappingTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void entitiesRoundTrip(String vendor) {
        DataSource ds = dataSource(vendor);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor, "classpath:db/demo")
                .load().migrate();
        EntityManagerFactory emf = entityManagerFactory(ds);
        try {
            EntityManager em = emf.createEntityManager();
            LocalDateTime t0 = LocalDateTime.of(2024, 11, 26, 10, 5, 0, 123_000_000);
            float[] vector = {0.25f, -1.5f, 3.0f, 1e-7f};

            em.getTransaction().begin();
            Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", "store_001")
                    .getSingleResult();
            Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                    .setParameter("code", "cam-1").getSingleResult();
            Customer customer = new Customer(t0);
            em.persist(customer);
            em.persist(new FaceTemplate(customer, "fr_feature-1", vector, 0.9f, t0));
            Visit visit = new Visit(customer, store, t0);
            em.persist(visit);
            Sighting sighting = new Sighting("store_001/cam-1/1/0", customer, camera, t0, t0, 0.8f, 0.95f, 0.9f);
            sighting.assignTo(visit);
            visit.include(t0);
            em.persist(sighting);
            em.getTransaction().commit();
            em.clear();

            List<FaceTemplate> templates = em.createNamedQuery(FaceTemplate.BY_MODEL_VERSION, FaceTemplate.class)
                    .setParameter("modelVersion", "fr_feature-1").getResultList();
            assertEquals(1, templates.size());
            assertArrayEquals(vector, templates.get(0).getEmbedding());
            assertEquals(t0, templates.get(0).getCreatedAt(), "LocalDateTime keeps its value to the millisecond");

            List<Visit> touching = em.createNamedQuery(Visit.TOUCHING, Visit.class)
                    .setParameter("customer", em.find(Customer.class, customer.getId()))
                    .setParameter("store", em.find(Store.class, store.getId()))
                    .setParameter("from", t0.minusMinutes(30)).setParameter("to", t0.plusMinutes(30)).getResultList();
            assertEquals(1, touching.size());
            assertEquals(1, touching.get(0).getSightingCount());
            assertEquals(1L, em.createNamedQuery(Sighting.COUNT_BY_DUPLICATE_ID, Long.class)
                    .setParameter("duplicateId", "store_001/cam-1/1/0").getSingleResult());

            // a consolidation audit row, and the named query of the templates a customer keeps
            em.getTransaction().begin();
            Customer other = new Customer(t0);
            em.persist(other);
            CustomerMerge merge = new CustomerMerge(customer.getId(), other.getId(), 0.61f, 0.5f, t0, 7L);
            em.persist(merge);
            em.getTransaction().commit();
            em.clear();
            CustomerMerge read = em.createNamedQuery(CustomerMerge.RECENT, CustomerMerge.class).getResultList().get(0);
            assertEquals(other.getId(), read.getAbsorbedId());
            assertEquals(0.61f, read.getSimilarity());
            assertEquals(7L, read.getJobExecutionId());
            List<Object[]> kept = em.createNamedQuery(FaceTemplate.KEPT_BY_CUSTOMER, Object[].class)
                    .setParameter("customerId", customer.getId()).setParameter("modelVersion", "fr_feature-1")
                    .getResultList();
            assertEquals(1, kept.size());
            assertEquals(0.9f, (Float) kept.get(0)[1]);

            em.getTransaction().begin();
            Sighting twin = new Sighting("store_001/cam-1/1/0", em.find(Customer.class, customer.getId()),
                    em.find(Camera.class, camera.getId()), t0, t0, 0.8f, 0.95f, 0.9f);
            twin.assignTo(em.find(Visit.class, visit.getId()));
            em.persist(twin);
            assertThrows(PersistenceException.class, em::flush, "a duplicate id is refused by the database");
            em.getTransaction().rollback();
            em.close();
        } finally {
            emf.close();
        }
    }

    private static DataSource dataSource(String vendor) {
        if (vendor.equals("postgresql")) {
            return postgres.getPostgresDatabase();
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:jpa;DB_CLOSE_DELAY=-1");
        return h2;
    }

    private static EntityManagerFactory entityManagerFactory(DataSource ds) {
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        props.put("jakarta.persistence.jtaDataSource", "");
        props.put("jakarta.persistence.nonJtaDataSource", ds);
        props.put("eclipselink.target-server", "None");
        props.put("eclipselink.logging.level", "WARNING");
        return Persistence.createEntityManagerFactory("rva", props);
    }
}
