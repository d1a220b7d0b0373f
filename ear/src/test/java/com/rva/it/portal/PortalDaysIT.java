package com.rva.it.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.analytics.CustomerVisitsSort;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;
import com.rva.it.batch.BatchAwait;

import com.rva.application.security.PortalUserService;
import com.rva.domain.AppUser;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The portal's precomputed store × UTC-day figures ({@code portal_store_day}, written by daily-aggregates): the
 * dashboard, trend, store figures, customer count and customer pages read from them equal a direct recount (the
 * same service's SQL over the visits, with the precomputed rows moved aside) — for whole and partial days, a store
 * filter, days the job has not reached (counted live), a late crop (a stale day counted live), and the rows are
 * really what is read (a visit deleted behind the job's back is still counted until the job recomputes its day).
 */
@ExtendWith(ArquillianExtension.class)
class PortalDaysIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final LocalDate D = LocalDate.of(2021, 2, 8);

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(PortalDaysIT.class, BatchAwait.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Inject
    BatchJobService jobs;

    @Inject
    VisitAnalyticsService analytics;

    @Inject
    PortalUserService users;

    @Inject
    Pbkdf2PasswordHash passwordHash;

    /** A regional manager of the demo region: its "all stores" is a store list, the admin's is no filter at all. */
    private static final String REGIONAL = "it-portal-days-regional";

    private static final String BUMP = "UPDATE portal_days_version SET version = version + 1 WHERE id = 1";

    private final String run = UUID.randomUUID().toString();
    private int frame;

    @Test
    void precomputedFiguresEqualADirectRecount() throws Exception {
        utx.begin();
        em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, REGIONAL).executeUpdate();
        utx.commit();
        passwordHash.initialize(java.util.Map.of("Pbkdf2PasswordHash.Iterations", "1024"));
        users.create(REGIONAL, passwordHash.generate("it-portal-days-secret".toCharArray()), "IT portal days regional",
                Set.of(AppUser.ROLE_REGIONAL_MANAGER));
        users.assignScope(REGIONAL, Set.of("demo"), Set.of());
        utx.begin();
        Customer c1 = customer(LocalDateTime.of(2020, 5, 1, 8, 0));
        Customer c2 = customer(LocalDateTime.of(2020, 6, 1, 8, 0));
        Customer c3 = customer(D.plusDays(1).atTime(7, 0)); // enrolled inside the range: not returning
        Customer c4 = customer(LocalDateTime.of(2020, 7, 1, 8, 0));
        visit(c1, "store_001", D.atTime(10, 0), null, 0, 5);
        visit(c1, "store_002", D.plusDays(1).atTime(22, 30), null, 0); // the next day in Athens
        visit(c1, "store_001", D.plusDays(3).atTime(9, 0), null, 0, 1, 2);
        visit(c2, "store_001", D.atTime(23, 50), null, 0, 15);        // goes on past UTC midnight
        Visit deletedLater = visit(c2, "store_001", D.atTime(12, 0), null, 0);
        visit(c3, "store_002", D.plusDays(2).atTime(8, 0), null, 0, 3);
        visit(c3, "store_002", D.plusDays(4).atTime(15, 0), null, 0);
        visit(c4, "store_001", D.plusDays(4).atTime(11, 0), null, 0, 1, 2, 3);
        visit(c4, "store_002", D.plusDays(4).atTime(12, 0), null, 0);
        utx.commit();

        // the job over the store-local days D .. D+3 (all stores): UTC days D-1 .. D+3 get rows, D+4 is live
        JobExecutionInfo done = BatchAwait.end(jobs, jobs.startDailyAggregates(D.plusDays(3).toString(),
                D.toString(), null, null, null), TIMEOUT);
        assertEquals("COMPLETED", done.batchStatus(), done.toString());
        long s1 = store("store_001").getId();
        long s2 = store("store_002").getId();
        assertEquals(10L, ((Number) em.createNativeQuery("SELECT COUNT(*) FROM portal_store_day WHERE store_id IN (?1, ?2)"
                + " AND utc_day >= ?3 AND utc_day <= ?4").setParameter(1, s1).setParameter(2, s2)
                .setParameter(3, java.sql.Date.valueOf(D.minusDays(1))).setParameter(4, java.sql.Date.valueOf(D.plusDays(3)))
                .getSingleResult()).longValue(), "a row per store and UTC day the job's local days overlap");

        List<VisitQuery> queries = List.of(
                VisitQuery.of(D.atStartOfDay(), D.plusDays(5).atStartOfDay(), List.of()),      // precomputed + live D+4
                VisitQuery.of(D.atStartOfDay(), D.plusDays(4).atStartOfDay(), List.of()),      // all precomputed
                VisitQuery.of(D.atTime(6, 0), D.plusDays(4).atTime(11, 30), List.of()),       // partial ends
                VisitQuery.of(D.atStartOfDay(), D.plusDays(5).atStartOfDay(), Set.of("store_002")),
                VisitQuery.of(D.plusDays(1).atStartOfDay(), D.plusDays(2).atStartOfDay(), Set.of("store_001")));
        assertEqualsRecount(queries, "after the job");

        // a late crop for D+1 (its collector was offline): that day is stale and counted from the visits
        utx.begin();
        visit(em.find(Customer.class, c4.getId()), "store_001", D.plusDays(1).atTime(14, 0),
                LocalDateTime.now(ZoneOffset.UTC), 0, 2);
        utx.commit();
        assertEqualsRecount(queries, "with a late crop not yet aggregated");

        // what is read are the rows: a visit removed behind the job's back still counts until its day is recomputed
        VisitQuery day0 = VisitQuery.of(D.atStartOfDay(), D.plusDays(1).atStartOfDay(), Set.of("store_001"));
        long before = AsCaller.admin(() -> analytics.dashboard(day0).visits());
        utx.begin();
        em.createNativeQuery("DELETE FROM sighting WHERE visit_id = ?1").setParameter(1, deletedLater.getId())
                .executeUpdate();
        em.createNativeQuery("DELETE FROM visit WHERE id = ?1").setParameter(1, deletedLater.getId()).executeUpdate();
        utx.commit();
        assertEquals(before, (long) AsCaller.admin(() -> analytics.dashboard(day0).visits()), "read from portal_store_day");
        done = BatchAwait.end(jobs, jobs.startDailyAggregates(D.toString(), "store_001"), TIMEOUT);
        assertEquals("COMPLETED", done.batchStatus(), done.toString());
        assertEquals(before - 1, (long) AsCaller.admin(() -> analytics.dashboard(day0).visits()), "recomputed by the job");
        assertEqualsRecount(queries, "after the re-run");
        utx.begin();
        em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, REGIONAL).executeUpdate();
        utx.commit();
    }

    /** Every read-side figure of the queries, from the precomputed rows and from the visits alone. */
    private void assertEqualsRecount(List<VisitQuery> queries, String when) throws Exception {
        List<String> precomputed = figures(queries);
        long rows = ((Number) em.createNativeQuery("SELECT COUNT(*) FROM portal_store_day").getSingleResult()).longValue();
        assertTrue(rows > 0, "precomputed rows present");
        // the recount: the same service with the precomputed rows moved aside (its SQL over the visits)
        utx.begin();
        em.createNativeQuery("CREATE TABLE portal_days_it_aside AS SELECT * FROM portal_store_day").executeUpdate();
        em.createNativeQuery("DELETE FROM portal_store_day").executeUpdate();
        // as every writer of portal_store_day does (PortalDaysSql.changed), else the servers' cache would answer
        em.createNativeQuery(BUMP).executeUpdate();
        utx.commit();
        List<String> recount;
        try {
            recount = figures(queries);
        } finally {
            utx.begin();
            em.createNativeQuery("INSERT INTO portal_store_day SELECT * FROM portal_days_it_aside").executeUpdate();
            em.createNativeQuery("DROP TABLE portal_days_it_aside").executeUpdate();
            em.createNativeQuery(BUMP).executeUpdate();
            utx.commit();
        }
        for (int i = 0; i < recount.size(); i++) {
            assertEquals(recount.get(i), precomputed.get(i), when + ", figure " + i);
        }
    }

    /** The figures as the admin (every store, no store list) and as the demo region's manager (its store list). */
    private List<String> figures(List<VisitQuery> queries) throws Exception {
        List<String> out = new ArrayList<>(figures(queries, "admin"));
        out.addAll(figures(queries, REGIONAL));
        return out;
    }

    private List<String> figures(List<VisitQuery> queries, String caller) throws Exception {
        return AsCaller.call(caller, () -> {
            List<String> out = new ArrayList<>();
            for (VisitQuery q : queries) {
                out.add(caller + " " + q + " dashboard page " + analytics.dashboardPage(q));
                out.add(q + " dashboard " + analytics.dashboard(q));
                out.add(q + " customer page " + analytics.customerPage(q, CustomerVisitsSort.VISITS, false, 0, 25));
                out.add(q + " trend " + analytics.dailyTrend(q));
                out.add(q + " stores " + analytics.storeFigures(q));
                out.add(q + " customers " + analytics.countCustomers(q));
                for (CustomerVisitsSort sort : List.of(CustomerVisitsSort.VISITS, CustomerVisitsSort.SIGHTINGS,
                        CustomerVisitsSort.CUSTOMER_ID)) {
                    for (boolean asc : new boolean[] {false, true}) {
                        out.add(q + " page " + sort + asc + " " + analytics.customerVisits(q, sort, asc, 0, 3));
                        out.add(q + " page2 " + sort + asc + " " + analytics.customerVisits(q, sort, asc, 3, 3));
                    }
                }
            }
            return out;
        });
    }

    private Customer customer(LocalDateTime created) {
        Customer c = new Customer(created);
        em.persist(c);
        return c;
    }

    private Store store(String code) {
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code).getSingleResult();
    }

    /** A visit starting at {@code startUtc} with one sighting per minute offset, received at the given time or 2 s after. */
    private Visit visit(Customer customer, String storeCode, LocalDateTime startUtc, LocalDateTime receivedAtUtc,
            int... minutes) {
        Store store = store(storeCode);
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class)
                .setParameter("store", store).setParameter("code", "cam-1").getSingleResult();
        Visit visit = new Visit(customer, store, startUtc);
        em.persist(visit);
        for (int m : minutes) {
            LocalDateTime at = startUtc.plusMinutes(m);
            visit.include(at);
            Sighting s = new Sighting("it-portal-days/" + run + "/" + frame++, customer, camera, at,
                    receivedAtUtc == null ? at.plusSeconds(2) : receivedAtUtc, 0.9f, 0.95f, 0.8f);
            s.assignTo(visit);
            em.persist(s);
        }
        return visit;
    }
}
