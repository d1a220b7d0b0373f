package com.rva.infrastructure.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreRef;
import com.rva.application.batch.JobParameterException;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.CustomerStoreDayAggregate;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.StoreDayAggregate;
import com.rva.domain.Visit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

/**
 * The job's queries and its delete-and-insert with EclipseLink outside the server, on H2 and on real
 * PostgreSQL: store-local windows select the right visits and sightings, and replacing a day twice
 * leaves the same rows.
 */
class JpaDailyAggregateRepositoryTest {

    private static final LocalDate DAY = LocalDate.of(2024, 11, 26);

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
    void countsAStoreLocalDayAndReplacesItsRows(String vendor) {
        DataSource ds = dataSource(vendor);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor, "classpath:db/demo")
                .load().migrate();
        EntityManagerFactory emf = entityManagerFactory(ds);
        try {
            EntityManager em = emf.createEntityManager();
            JpaDailyAggregateRepository repository = new JpaDailyAggregateRepository();
            repository.em = em;

            em.getTransaction().begin();
            Store athens = store(em, "store_002");
            Customer a = persist(em, new Customer(DAY.atStartOfDay()));
            Customer b = persist(em, new Customer(DAY.atStartOfDay()));
            visit(em, a, athens, DAY.atTime(0, 30), 1);               // 22:30 UTC on the 25th
            visit(em, a, athens, DAY.atTime(23, 30), 2);              // 21:30 UTC on the 26th
            visit(em, b, athens, DAY.atTime(12, 0), 3);
            visit(em, b, athens, DAY.plusDays(1).atTime(0, 30), 4);   // 22:30 UTC on the 26th: the 27th
            visit(em, b, athens, DAY.minusDays(1).atTime(23, 59), 5); // the 25th; 4 sightings after midnight
            em.getTransaction().commit();

            List<StoreRef> stores = repository.stores(List.of("store_002"));
            assertEquals(List.of(new StoreRef(athens.getId(), "store_002", "Europe/Athens")), stores);
            LocalDayWindow window = LocalDayWindow.of(DAY, stores.get(0).zone());
            Map<Long, Long> perCustomer = repository.visitsPerCustomer(athens.getId(), window);
            assertEquals(Map.of(a.getId(), 2L, b.getId(), 1L), perCustomer);
            // sightings count on the day they were captured, whichever day their visit started
            long sightings = repository.sightings(athens.getId(), window);
            assertEquals(1 + 2 + 3 + 4, sightings);

            StoreDayTally tally = StoreDayTally.of(stores.get(0), window, perCustomer, sightings);
            for (int run = 0; run < 2; run++) { // the second run replaces the first run's rows
                em.getTransaction().begin();
                repository.replace(tally, LocalDateTime.now(ZoneOffset.UTC));
                em.getTransaction().commit();
                em.clear();
                List<StoreDayAggregate> day = em.createNamedQuery(StoreDayAggregate.BY_DAY, StoreDayAggregate.class)
                        .setParameter("day", DAY).getResultList();
                assertEquals(1, day.size());
                assertEquals(List.of(3, 2, 10), List.of(day.get(0).getVisits(), day.get(0).getUniqueCustomers(),
                        day.get(0).getSightings()));
                List<CustomerStoreDayAggregate> customers = em.createNamedQuery(CustomerStoreDayAggregate.BY_DAY,
                        CustomerStoreDayAggregate.class).setParameter("day", DAY).getResultList();
                Map<Long, Integer> visits = new HashMap<>();
                customers.forEach(c -> visits.put(c.getCustomerId(), c.getVisits()));
                assertEquals(Map.of(a.getId(), 2, b.getId(), 1), visits);
            }
            assertEquals(new JpaDailyAggregateRepository.DayTotals(1, 3, 2, 10),
                    repository.totals(DAY, List.of(athens.getId(), 1L)));
            assertEquals(new JpaDailyAggregateRepository.DayTotals(0, 0, 0, 0),
                    repository.totals(DAY.plusDays(1), List.of(athens.getId())));

            assertEquals(List.of("store_001", "store_002"),
                    repository.stores(List.of()).stream().map(StoreRef::code).toList());
            assertThrows(JobParameterException.class, () -> repository.stores(List.of("store_002", "store_404")));
            em.close();
        } finally {
            emf.close();
        }
    }

    private static Store store(EntityManager em, String code) {
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code).getSingleResult();
    }

    private static <T> T persist(EntityManager em, T entity) {
        em.persist(entity);
        return entity;
    }

    /** A visit at {@code localStart} store time with {@code sightings} sightings a minute apart. */
    private static void visit(EntityManager em, Customer customer, Store store, LocalDateTime localStart, int sightings) {
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", "cam-1").getSingleResult();
        LocalDateTime start = localStart.atZone(store.getZoneId()).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        Visit visit = persist(em, new Visit(customer, store, start));
        for (int i = 0; i < sightings; i++) {
            LocalDateTime at = start.plusMinutes(i);
            visit.include(at);
            Sighting s = new Sighting(customer.getId() + "/" + at, customer, camera, at, at, 0.9f, 0.9f, 0.9f);
            s.assignTo(visit);
            em.persist(s);
        }
    }

    private static DataSource dataSource(String vendor) {
        if (vendor.equals("postgresql")) {
            return postgres.getPostgresDatabase();
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:aggregates;DB_CLOSE_DELAY=-1");
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
