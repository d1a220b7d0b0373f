package com.rva.infrastructure.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rva.application.aggregates.LocalDayWindow;
import com.rva.application.aggregates.StoreDayTally;
import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreRef;
import com.rva.application.aggregates.VisitSpan;
import com.rva.application.batch.JobParameterException;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.CustomerStoreAggregate;
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
            assertEquals(stores, repository.storesById(List.of(athens.getId(), 999_999L)));
            LocalDayWindow window = LocalDayWindow.of(DAY, stores.get(0).zone());
            List<VisitSpan> visits = repository.visits(athens.getId(), window);
            assertEquals(List.of(a.getId(), a.getId(), b.getId()),
                    visits.stream().map(VisitSpan::customerId).sorted().toList());
            // b was in the store the evening before: returning; a is new to the store
            assertEquals(Set.of(b.getId()), repository.returningCustomers(athens.getId(), window));
            // sightings count on the day they were captured, whichever day their visit started
            long sightings = repository.sightings(athens.getId(), window);
            assertEquals(1 + 2 + 3 + 4, sightings);

            StoreDayTally tally = StoreDayTally.of(stores.get(0), window, visits,
                    repository.returningCustomers(athens.getId(), window), sightings);
            for (int run = 0; run < 2; run++) { // the second run replaces the first run's rows
                em.getTransaction().begin();
                repository.replace(tally, LocalDateTime.now(ZoneOffset.UTC));
                repository.refreshCustomerTotals(athens.getId());
                em.getTransaction().commit();
                em.clear();
                List<StoreDayAggregate> day = em.createNamedQuery(StoreDayAggregate.BY_DAY, StoreDayAggregate.class)
                        .setParameter("day", DAY).getResultList();
                assertEquals(1, day.size());
                StoreDayAggregate row = day.get(0);
                assertEquals(List.of(3, 2, 10, 1, 1), List.of(row.getVisits(), row.getUniqueCustomers(),
                        row.getSightings(), row.getNewCustomers(), row.getReturningCustomers()));
                assertEquals((0 + 60 + 120) / 3.0, row.getAvgDwellSeconds(), 1e-9); // 1, 2, 3 sightings a minute apart
                assertEquals(60.0, row.getMedianDwellSeconds(), 1e-9);
                assertEquals(0, row.getBusiestHour()); // 00:30, 12:00, 23:30: one each, the earliest wins
                List<CustomerStoreDayAggregate> customers = em.createNamedQuery(CustomerStoreDayAggregate.BY_DAY,
                        CustomerStoreDayAggregate.class).setParameter("day", DAY).getResultList();
                Map<Long, Integer> perCustomer = new HashMap<>();
                customers.forEach(c -> perCustomer.put(c.getCustomerId(), c.getVisits()));
                assertEquals(Map.of(a.getId(), 2, b.getId(), 1), perCustomer);
                assertEquals(recount(ds, vendor, DAY), List.of(row.getVisits() + " " + row.getUniqueCustomers() + " "
                        + row.getAvgDwellSeconds() + " " + row.getMedianDwellSeconds()));
            }
            // appearances to date over all aggregated days: add the 25th, where b was once
            LocalDayWindow before = LocalDayWindow.of(DAY.minusDays(1), stores.get(0).zone());
            em.getTransaction().begin();
            repository.replace(StoreDayTally.of(stores.get(0), before, repository.visits(athens.getId(), before),
                    repository.returningCustomers(athens.getId(), before), repository.sightings(athens.getId(), before)),
                    LocalDateTime.now(ZoneOffset.UTC));
            repository.refreshCustomerTotals(athens.getId());
            em.getTransaction().commit();
            em.clear();
            Map<Long, String> toDate = new HashMap<>();
            em.createQuery("SELECT a FROM CustomerStoreAggregate a", CustomerStoreAggregate.class).getResultList()
                    .forEach(r -> toDate.put(r.getCustomerId(), r.getAppearances() + " " + r.getFirstDay() + ".." + r.getLastDay()));
            assertEquals(Map.of(a.getId(), "2 " + DAY + ".." + DAY, b.getId(), "2 " + DAY.minusDays(1) + ".." + DAY), toDate);

            // nothing is stale yet; a crop of the 26th received after the run makes the 26th stale (only it)
            LocalDateTime since = LocalDateTime.now(ZoneOffset.UTC).minusDays(7);
            assertEquals(Map.of(), repository.staleDays(stores, DAY.plusDays(1), since));
            em.getTransaction().begin();
            Customer late = persist(em, new Customer(DAY.atStartOfDay()));
            visit(em, late, em.find(Store.class, athens.getId()), DAY.atTime(23, 50), 1, LocalDateTime.now(ZoneOffset.UTC).plusSeconds(1));
            em.getTransaction().commit();
            assertEquals(Map.of(athens.getId(), new TreeSet<>(Set.of(DAY))), repository.staleDays(stores, DAY.plusDays(1), since));
            assertEquals(Map.of(), repository.staleDays(stores, DAY, since), "only days before the run's day");
            assertEquals(Map.of(), repository.staleDays(stores, DAY.plusDays(1), LocalDateTime.now(ZoneOffset.UTC).plusMinutes(1)),
                    "received before the look-back");

            assertEquals(new JpaDailyAggregateRepository.DayTotals(1, 3, 2, 10),
                    repository.totals(DAY, List.of(athens.getId(), 1L)));
            em.getTransaction().begin();
            repository.replace(StoreDayTally.of(stores.get(0), window, repository.visits(athens.getId(), window),
                    repository.returningCustomers(athens.getId(), window), repository.sightings(athens.getId(), window)),
                    LocalDateTime.now(ZoneOffset.UTC).plusSeconds(2));
            em.getTransaction().commit();
            assertEquals(Map.of(), repository.staleDays(stores, DAY.plusDays(1), since), "recomputed: no longer stale");
            assertEquals(new JpaDailyAggregateRepository.DayTotals(0, 0, 0, 0),
                    repository.totals(DAY.plusDays(1), List.of(athens.getId())));

            // PostgreSQL computes runs of days set-based in the database: the same rows as the tally, day by day
            if (vendor.equals("postgresql")) {
                repository.setBased = true;
                StoreRef athensRef = stores.get(0);
                LocalDate first = DAY.minusDays(2);
                LocalDate last = DAY.plusDays(2);
                em.getTransaction().begin();
                for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                    repository.replace(repository.tally(athensRef, LocalDayWindow.of(d, athensRef.zone())),
                            LocalDateTime.now(ZoneOffset.UTC));
                }
                em.getTransaction().commit();
                List<String> byTally = rows(ds, athens.getId());
                em.getTransaction().begin();
                repository.replaceDays(athensRef, first, last, LocalDateTime.now(ZoneOffset.UTC));
                em.getTransaction().commit();
                List<String> bySql = rows(ds, athens.getId());
                assertEquals(byTally, bySql);
                // 5 days (with or without visits) and the customer-days: b on the 25th, a, b and late on the 26th, b on the 27th
                assertEquals(5 + 5, bySql.size(), bySql.toString());

                // a chunk of several stores with a gap in one store's days (a late crop's stale day and a range): one
                // set of statements; the days after the gap still see the visits of the day in it (b returning)
                execute(ds, "DELETE FROM store_day_aggregate WHERE store_id = " + athens.getId() + " AND local_day <> '" + DAY + "'");
                execute(ds, "DELETE FROM customer_store_day_aggregate WHERE store_id = " + athens.getId()
                        + " AND local_day <> '" + DAY + "'");
                StoreRef other = repository.stores(List.of("store_001")).get(0);
                em.getTransaction().begin();
                repository.writeChunk(List.of(new StoreDays(athensRef, new TreeSet<>(Set.of(first, DAY.minusDays(1),
                        DAY.plusDays(1), last))), new StoreDays(other, new TreeSet<>(Set.of(DAY)))),
                        LocalDateTime.now(ZoneOffset.UTC));
                em.getTransaction().commit();
                assertEquals(byTally, rows(ds, athens.getId()));
                assertEquals(List.of(DAY + " 0 0 0 0 0 null null null"), rows(ds, other.id()));
                assertEquals(List.of("0"), List.of(String.valueOf(count(ds, "SELECT COUNT(*) FROM ((SELECT customer_id, store_id,"
                        + " SUM(visits) FROM customer_store_day_aggregate GROUP BY 1, 2) EXCEPT (SELECT customer_id, store_id,"
                        + " appearances FROM customer_store_aggregate)) x"))), "appearances to date re-summed");
            }

            // an erasure's delete of the customer's customer-days (RetentionStore) takes all of its rows and no other
            long aRows = count(ds, "SELECT COUNT(*) FROM customer_store_day_aggregate WHERE customer_id = " + a.getId());
            long others = count(ds, "SELECT COUNT(*) FROM customer_store_day_aggregate WHERE customer_id <> " + a.getId());
            assertTrue(aRows > 0 && others > 0, aRows + " / " + others);
            em.getTransaction().begin();
            int erased = em.createNativeQuery(com.rva.infrastructure.retention.RetentionStore.DELETE_CUSTOMER_DAYS)
                    .setParameter(1, a.getId()).executeUpdate();
            em.getTransaction().commit();
            assertEquals(aRows, erased);
            assertEquals(0, count(ds, "SELECT COUNT(*) FROM customer_store_day_aggregate WHERE customer_id = " + a.getId()));
            assertEquals(others, count(ds, "SELECT COUNT(*) FROM customer_store_day_aggregate WHERE customer_id <> " + a.getId()));

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
        visit(em, customer, store, localStart, sightings, null);
    }

    /** The same, received at {@code receivedAt} (null: when captured). */
    private static void visit(EntityManager em, Customer customer, Store store, LocalDateTime localStart, int sightings,
            LocalDateTime receivedAt) {
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", "cam-1").getSingleResult();
        LocalDateTime start = localStart.atZone(store.getZoneId()).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        Visit visit = persist(em, new Visit(customer, store, start));
        for (int i = 0; i < sightings; i++) {
            LocalDateTime at = start.plusMinutes(i);
            visit.include(at);
            Sighting s = new Sighting(customer.getId() + "/" + at, customer, camera, at,
                    receivedAt == null ? at : receivedAt, 0.9f, 0.9f, 0.9f);
            s.assignTo(visit);
            em.persist(s);
        }
    }

    /** "visits customers avg median" of the store_002 day recounted with SQL (the database's own time-zone and median). */
    private static List<String> recount(DataSource ds, String vendor, LocalDate day) {
        String local = vendor.equals("postgresql") ? "CAST((v.started_at AT TIME ZONE 'UTC') AT TIME ZONE st.time_zone AS DATE)"
                : "CAST(LEFT(CAST(CAST(CAST(v.started_at AS VARCHAR) || '+00:00' AS TIMESTAMP WITH TIME ZONE)"
                        + " AT TIME ZONE st.time_zone AS VARCHAR), 10) AS DATE)";
        String dwell = vendor.equals("postgresql") ? "EXTRACT(EPOCH FROM (v.ended_at - v.started_at))"
                : "DATEDIFF(MILLISECOND, v.started_at, v.ended_at) / 1000.0";
        String sql = "SELECT COUNT(*), COUNT(DISTINCT v.customer_id), AVG(" + dwell + "), PERCENTILE_CONT(0.5) WITHIN GROUP"
                + " (ORDER BY " + dwell + ") FROM visit v JOIN store st ON st.id = v.store_id WHERE st.code = 'store_002'"
                + " AND " + local + " = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getDouble(3) + " " + rs.getDouble(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store's aggregate rows (day figures and customer-days) as text, without computed_at. */
    private static List<String> rows(DataSource ds, long storeId) {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement day = c.prepareStatement("SELECT local_day, visits,"
                + " unique_customers, sightings, new_customers, returning_customers, avg_dwell_seconds, median_dwell_seconds,"
                + " busiest_hour FROM store_day_aggregate WHERE store_id = ? ORDER BY local_day");
                PreparedStatement cust = c.prepareStatement("SELECT local_day, customer_id, visits FROM"
                        + " customer_store_day_aggregate WHERE store_id = ? ORDER BY local_day, customer_id")) {
            day.setLong(1, storeId);
            try (ResultSet rs = day.executeQuery()) {
                while (rs.next()) {
                    Object avg = rs.getObject(7);
                    out.add(rs.getObject(1) + " " + rs.getInt(2) + " " + rs.getInt(3) + " " + rs.getInt(4) + " " + rs.getInt(5)
                            + " " + rs.getInt(6) + " " + (avg == null ? null : String.format("%.6f", rs.getDouble(7)))
                            + " " + rs.getObject(8) + " " + rs.getObject(9));
                }
            }
            cust.setLong(1, storeId);
            try (ResultSet rs = cust.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1) + " c" + rs.getLong(2) + " " + rs.getInt(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
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
