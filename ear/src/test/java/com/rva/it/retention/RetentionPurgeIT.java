package com.rva.it.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.infrastructure.retention.RetentionStore;
import com.rva.it.RvaDeployment;
import com.rva.it.batch.BatchAwait;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * retention-purge in the server: an erasure request removes the customer and all about it; sightings,
 * visits and templates older than their settings go, younger ones stay; each run writes its audit row.
 * The old data is dated in the 1990s and the retention set to match, so no other test's data is touched.
 */
@ExtendWith(ArquillianExtension.class)
class RetentionPurgeIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(RetentionPurgeIT.class, BatchAwait.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource ds;

    @Inject
    BatchJobService jobs;

    @EJB
    SettingsService settings;

    @EJB
    RetentionStore retention;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private int frame;

    private static long daysSince(LocalDate d) {
        return ChronoUnit.DAYS.between(d, LocalDate.now(ZoneOffset.UTC));
    }

    @Test
    void erasesOnRequestPurgesPastRetentionAndAuditsEachRun() throws Exception {
        LocalDateTime y1990 = LocalDateTime.of(1990, 3, 1, 10, 0);
        LocalDateTime y1995 = LocalDateTime.of(1995, 6, 1, 10, 0);
        LocalDateTime y1998 = LocalDateTime.of(1998, 1, 1, 10, 0);
        settings.set(Setting.RETENTION_SIGHTINGS_DAYS, String.valueOf(daysSince(LocalDate.of(1996, 1, 1))));
        settings.set(Setting.RETENTION_VISITS_DAYS, String.valueOf(daysSince(LocalDate.of(1995, 1, 1))));
        settings.set(Setting.RETENTION_TEMPLATES_DAYS, String.valueOf(daysSince(LocalDate.of(1995, 1, 1))));
        try {
            // whatever an interrupted earlier run of this test left in a reused test database goes first
            assertEquals("COMPLETED", purge(null).batchStatus());
            utx.begin();
            Customer a = customer(y1990);
            template(a, y1990);                 // kept: a was seen in 1998
            Visit a1 = visit(a, y1990, 2);      // visit and sightings go
            Visit a2 = visit(a, y1995, 3);      // sightings go (before 1996), the visit stays (after 1995-01-01)
            Visit a3 = visit(a, y1998, 1);      // stays
            Customer b = customer(y1990);
            template(b, y1990);                 // goes: b not seen since 1990
            visit(b, y1990, 1);
            Customer c = customer(LocalDateTime.now(ZoneOffset.UTC).minusDays(1));
            template(c, LocalDateTime.now(ZoneOffset.UTC).minusDays(1));
            visit(c, LocalDateTime.now(ZoneOffset.UTC).minusDays(1), 1);
            utx.commit();
            long request = retention.requestErasure(c.getId(), "it-admin", "asked at the till");

            JobExecutionInfo done = purge("2"); // small batches: several commits per kind
            assertEquals("COMPLETED", done.batchStatus(), done.toString());
            assertEquals("SIGHTINGS=7 VISITS=3 TEMPLATES=2 ERASED=1", done.exitStatus());
            assertEquals(List.of(done.executionId(), 7L, 3L, 2L, 1L), audit(done.executionId()));

            assertNull(em.find(Customer.class, c.getId()), "erased");
            assertEquals("DONE", one("SELECT status FROM erasure_request WHERE id = ?", request));
            assertNull(em.find(Visit.class, a1.getId()));
            assertNotNull(em.find(Visit.class, a2.getId()));
            assertNotNull(em.find(Visit.class, a3.getId()));
            assertEquals(1L, ((Number) one("SELECT COUNT(*) FROM sighting WHERE customer_id = ?", a.getId())).longValue());
            assertEquals(1L, ((Number) one("SELECT COUNT(*) FROM face_template WHERE customer_id = ?", a.getId())).longValue());
            assertEquals(0L, ((Number) one("SELECT COUNT(*) FROM face_template WHERE customer_id = ?", b.getId())).longValue());
            assertEquals(0L, ((Number) one("SELECT COUNT(*) FROM visit WHERE customer_id = ?", b.getId())).longValue());

            // a second run finds nothing left to do, and says so in its own audit row
            JobExecutionInfo again = purge(null);
            assertEquals("SIGHTINGS=0 VISITS=0 TEMPLATES=0 ERASED=0", again.exitStatus());
            assertEquals(List.of(again.executionId(), 0L, 0L, 0L, 0L), audit(again.executionId()));
        } finally {
            for (Setting s : List.of(Setting.RETENTION_SIGHTINGS_DAYS, Setting.RETENTION_VISITS_DAYS,
                    Setting.RETENTION_TEMPLATES_DAYS)) {
                settings.set(s, s.defaultValue());
            }
        }
    }

    private JobExecutionInfo purge(String batchSize) throws InterruptedException {
        Properties p = new Properties();
        if (batchSize != null) {
            p.setProperty("batchSize", batchSize);
        }
        return BatchAwait.end(jobs, jobs.start("retention-purge", p), Duration.ofSeconds(60));
    }

    private List<Long> audit(long execution) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT job_execution_id,"
                + " sightings_deleted, visits_deleted, templates_deleted, customers_erased FROM retention_purge_run"
                + " WHERE job_execution_id = ?")) {
            ps.setLong(1, execution);
            try (ResultSet r = ps.executeQuery()) {
                List<Long> row = new ArrayList<>();
                r.next();
                for (int i = 1; i <= 5; i++) {
                    row.add(r.getLong(i));
                }
                assertEquals(false, r.next(), "one audit row per run");
                return row;
            }
        }
    }

    private Object one(String sql, Object arg) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getObject(1);
            }
        }
    }

    private Customer customer(LocalDateTime created) {
        Customer c = new Customer(created);
        em.persist(c);
        return c;
    }

    private void template(Customer c, LocalDateTime created) {
        em.persist(new FaceTemplate(c, "it-model", new float[] {1, 0, 0}, 0.9f, created));
    }

    /** A visit starting at {@code start} (UTC) with {@code n} sightings a minute apart at store_001. */
    private Visit visit(Customer customer, LocalDateTime start, int n) {
        Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", "store_001").getSingleResult();
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class)
                .setParameter("store", store).setParameter("code", "cam-1").getSingleResult();
        Visit visit = new Visit(customer, store, start);
        em.persist(visit);
        for (int i = 0; i < n; i++) {
            LocalDateTime at = start.plusMinutes(i);
            visit.include(at);
            Sighting s = new Sighting("it-retention/" + run + "/" + frame++, customer, camera, at, at, 0.9f, 0.9f, 0.9f);
            s.assignTo(visit);
            em.persist(s);
        }
        return visit;
    }
}
