package com.rva.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.IdentityConsolidationOperations;
import com.rva.application.batch.IdentityConsolidationOperations;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.consolidation.MergeResult;
import com.rva.application.ingest.EmbedderProvider;
import com.rva.application.ingest.VisitService;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.CustomerMerge;
import com.rva.domain.CustomerStoreDayAggregate;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The identity-consolidation job in the server: two customers whose templates are one person (same random
 * centre in the model's 512-d space, so no other test's customer resembles them) are merged into the first
 * enrolled — sightings, visits and the day's aggregates follow, an audit row records the merge — and the merge
 * is undone exactly; an undone pair is not merged again by the next run.
 */
@ExtendWith(ArquillianExtension.class)
class IdentityConsolidationIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String STORE = "store_002";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(IdentityConsolidationIT.class, BatchAwait.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Inject
    BatchJobService jobs;

    @Inject
    IdentityConsolidationOperations operations;

    @Inject
    EmbedderProvider embedders;

    @Inject
    VisitService visits;

    private final String run = UUID.randomUUID().toString();
    private int frame;

    @Test
    void twoCustomersOfOnePersonAreMergedWithTheirVisitsAndAggregatesAndTheMergeCanBeUndone() throws Exception {
        Random random = new Random(run.hashCode());
        int dim = embedders.embedder().dimension();
        float[] person = unit(random, dim);
        // three days ago at noon UTC: a finished day in every store zone, so its aggregates are recounted
        LocalDateTime t0 = LocalDate.now(ZoneOffset.UTC).minusDays(3).atTime(12, 0);
        long[] ids = inTx(() -> {
            Customer first = customer(t0, person, random);
            Customer second = customer(t0.plusMinutes(5), person, random);
            return new long[] {first.getId(), second.getId()};
        });
        long a = ids[0];
        long b = ids[1];
        assertTrue(a < b, "the first enrolled has the lower id");
        assertEquals(1, visitsOf(a).size());
        assertEquals(1, visitsOf(b).size());

        JobExecutionInfo execution = runJob();
        assertEquals("COMPLETED", execution.batchStatus(), execution.toString());
        assertTrue(execution.exitStatus().startsWith("MERGED="), execution.exitStatus());

        CustomerMerge merge = mergeAbsorbing(b);
        assertNotNull(merge, "an audit row for the merge of " + b);
        assertEquals(a, merge.getSurvivorId());
        assertEquals(execution.executionId(), merge.getJobExecutionId());
        assertTrue(merge.getSimilarity() >= merge.getMergeThreshold(), "similarity " + merge.getSimilarity());
        assertEquals(List.of(a, a), sightingOwners(a, b), "both sightings now belong to " + a);
        assertEquals(4L, templatesOf(a));
        List<Visit> merged = visitsOf(a);
        assertEquals(1, merged.size(), "the two sightings 5 minutes apart are one visit now");
        assertEquals(2, merged.get(0).getSightingCount());
        assertEquals(List.of(), visitsOf(b));
        assertEquals(Integer.valueOf(1), aggregateVisits(a, t0.toLocalDate()));
        assertNull(aggregateVisits(b, t0.toLocalDate()), "the absorbed customer has no appearance left that day");

        MergeResult undone = inTx(() -> operations.undo(merge.getId()));
        assertEquals(1, undone.sightings());
        assertEquals(2, undone.templates());
        assertEquals(List.of(a, b), sightingOwners(a, b));
        assertEquals(2L, templatesOf(a));
        assertEquals(2L, templatesOf(b));
        assertEquals(1, visitsOf(a).size());
        assertEquals(1, visitsOf(b).size());
        assertEquals(Integer.valueOf(1), aggregateVisits(b, t0.toLocalDate()));
        em.clear();
        assertNotNull(em.find(CustomerMerge.class, merge.getId()).getUndoneAt(), "the audit row says it was undone");
        assertThrows(Exception.class, () -> inTx(() -> operations.undo(merge.getId())), "undone twice");

        // an admin's undo sticks: the next run does not merge them again
        JobExecutionInfo again = runJob();
        assertEquals("COMPLETED", again.batchStatus(), again.toString());
        assertEquals(List.of(a, b), sightingOwners(a, b));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private JobExecutionInfo runJob() throws InterruptedException {
        long id = jobs.start(IdentityConsolidationOperations.JOB_NAME, new Properties());
        return BatchAwait.end(jobs, id, TIMEOUT);
    }

    private Customer customer(LocalDateTime seenAt, float[] person, Random random) {
        Customer c = new Customer(seenAt);
        em.persist(c);
        String modelVersion = embedders.embedder().modelVersion();
        for (int i = 0; i < 2; i++) {
            em.persist(new FaceTemplate(c, modelVersion, near(person, 0.9, random), 0.8f, seenAt));
        }
        Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", STORE).getSingleResult();
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", "cam-1").getSingleResult();
        Sighting s = new Sighting("consolidation-it/" + run + "/" + (++frame), c, camera, seenAt, seenAt, 1f, 0.9f, 0.8f);
        visits.record(s);
        return c;
    }

    private CustomerMerge mergeAbsorbing(long absorbed) {
        em.clear();
        return em.createQuery("SELECT m FROM CustomerMerge m WHERE m.absorbedId = :c", CustomerMerge.class)
                .setParameter("c", absorbed).getResultStream().findFirst().orElse(null);
    }

    private List<Long> sightingOwners(long a, long b) {
        em.clear();
        return em.createQuery("SELECT s.customer.id FROM Sighting s WHERE s.duplicateId LIKE :p ORDER BY s.duplicateId",
                Long.class).setParameter("p", "consolidation-it/" + run + "/%").getResultList();
    }

    private long templatesOf(long customer) {
        return em.createQuery("SELECT COUNT(t) FROM FaceTemplate t WHERE t.customer.id = :c", Long.class)
                .setParameter("c", customer).getSingleResult();
    }

    private List<Visit> visitsOf(long customer) {
        em.clear();
        return em.createQuery("SELECT v FROM Visit v WHERE v.customer.id = :c", Visit.class).setParameter("c", customer)
                .getResultList();
    }

    private Integer aggregateVisits(long customer, LocalDate utcDay) {
        em.clear();
        // store_002's zone may shift the local day; the noon sightings fall on the same date in zones within ±11 h
        return em.createQuery("SELECT a FROM CustomerStoreDayAggregate a WHERE a.customerId = :c", CustomerStoreDayAggregate.class)
                .setParameter("c", customer).getResultStream().filter(x -> x.getLocalDay().equals(utcDay))
                .map(CustomerStoreDayAggregate::getVisits).findFirst().orElse(null);
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> T inTx(Work<T> work) throws Exception {
        utx.begin();
        try {
            T result = work.run();
            utx.commit();
            return result;
        } catch (Exception | Error e) {
            utx.rollback();
            throw e;
        }
    }

    private static float[] unit(Random random, int d) {
        float[] v = new float[d];
        double n = 0;
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < d; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    private static float[] near(float[] centre, double cos, Random random) {
        float[] noise = unit(random, centre.length);
        double w = Math.sqrt(1 - cos * cos);
        float[] v = new float[centre.length];
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (cos * centre[i] + w * noise[i]);
            n += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
