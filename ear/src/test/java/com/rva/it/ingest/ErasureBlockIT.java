package com.rva.it.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.admin.ErasureRequestService;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.ingest.CropSighting;
import com.rva.application.ingest.IngestResult;
import com.rva.application.ingest.IngestService;
import com.rva.application.security.OutOfScopeException;
import com.rva.contract.CropContract;
import com.rva.domain.Customer;
import com.rva.domain.CropRejection;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;
import com.rva.it.batch.BatchAwait;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * Erasure blocks re-enrolment: an admin files an erasure request for a customer enrolled from a real crop,
 * retention-purge carries it out, and afterwards new crops of the same person are not enrolled but dropped and
 * counted as ERASED_BLOCKED - while another person still enrols. The block rows this test adds are removed at
 * the end, so the faces stay usable for the other tests of this server's database.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIf(value = "com.rva.it.ingest.CropResources#available",
        disabledReason = "../shared/faces is missing: the crops this test sends are made from it")
class ErasureBlockIT {

    /** Three photos each of people; the test takes the first one this server does not know yet. */
    static final List<List<String>> PEOPLE = List.of(
            List.of("deepface_p06/1.jpg", "deepface_p06/2.jpg", "deepface_p06/3.jpg"),
            List.of("deepface_p05/1.jpg", "deepface_p05/5.jpg", "deepface_p05/2.jpg"),
            List.of("deepface_p08/1.jpg", "deepface_p08/4.jpg", "deepface_p08/2.jpg"),
            List.of("deepface_p07/1.jpg", "deepface_p07/3.jpg", "deepface_p07/2.jpg"));

    private static final String CAMERA = "cam-1";
    private static final AtomicLong FRAMES = new AtomicLong(System.currentTimeMillis() * 1000 + 700_000);

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = RvaDeployment.earWith(ErasureBlockIT.class, CropResources.class, BatchAwait.class);
        ear.addAsLibrary(IngestCrops.library("rva-it-erasure-crops.jar", PEOPLE.stream().flatMap(List::stream).toList()));
        return ear;
    }

    @Resource(lookup = "java:jboss/UserTransaction")
    UserTransaction tx;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    IngestService ingest;

    @Inject
    ErasureRequestService erasures;

    @Inject
    BatchJobService jobs;

    @Test
    void afterErasureTheSamePersonIsNotEnrolledAgainButCountedAsBlocked() throws Exception {
        List<Long> blocksBefore = blockIds();
        List<String> person = null;
        List<String> other = null;
        for (List<String> candidate : PEOPLE) {
            if (isNew(candidate.get(0))) {
                if (person == null) {
                    person = candidate;
                } else {
                    other = candidate;
                    break;
                }
            }
        }
        assumeTrue(person != null && other != null, "Skipped: fewer than two candidate faces are new to this server's"
                + " database; delete ear/target/it-data to start afresh");
        try {
            IngestResult enrolled = ingestCommitted(crop(person.get(0)));
            assertEquals(IngestResult.Outcome.ENROLLED, enrolled.outcome());
            long customer = enrolled.customerId();
            assertEquals(IngestResult.Outcome.ATTACHED, ingestCommitted(crop(person.get(1))).outcome(),
                    "a second photo of " + person + " attaches before the erasure");

            // only an admin files a request; a bad id is refused with a message
            assertThrows(OutOfScopeException.class,
                    () -> AsCaller.call("nobody-at-all", () -> erasures.file("" + customer, null)));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> AsCaller.admin(() -> erasures.file("12<script>", null)));
            assertTrue(bad.getMessage().contains("is a number"), bad.getMessage());
            long request = AsCaller.admin(() -> erasures.file(Long.toString(customer), "ticket 42"));
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> AsCaller.admin(() -> erasures.file(Long.toString(customer), null)));
            assertTrue(twice.getMessage().contains("already has a pending"), twice.getMessage());
            assertEquals(1L, em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.action = 'ERASURE_REQUEST'"
                    + " AND a.username = 'admin' AND a.detail LIKE :d", Long.class)
                    .setParameter("d", "erasure of customer " + customer + " requested (request " + request + ")%")
                    .getSingleResult());

            JobExecutionInfo run = BatchAwait.end(jobs, jobs.start("retention-purge", new java.util.Properties()),
                    Duration.ofSeconds(90));
            assertEquals("COMPLETED", run.batchStatus(), run.toString());
            em.clear();
            assertNull(em.find(Customer.class, customer), "the customer is erased");
            assertEquals("DONE", em.createNativeQuery("SELECT status FROM erasure_request WHERE id = ?1")
                    .setParameter(1, request).getSingleResult());
            List<Long> added = new ArrayList<>(blockIds());
            added.removeAll(blocksBefore);
            assertEquals(2, added.size(), "both templates of the erased customer are on the block list");

            long customersBefore = customers();
            for (String photo : person) {
                IngestResult again = ingestCommitted(crop(photo));
                assertEquals(IngestResult.Outcome.BLOCKED, again.outcome(), photo + " after the erasure: " + again);
                assertNull(again.customerId());
                long rejected = em.createQuery("SELECT COUNT(r) FROM CropRejection r WHERE r.reason = :r"
                        + " AND r.duplicateId = :d", Long.class).setParameter("r", CropRejection.Reason.ERASED_BLOCKED)
                        .setParameter("d", lastDuplicateId).getSingleResult();
                assertEquals(1L, rejected, photo + " is counted as blocked");
            }
            assertEquals(customersBefore, customers(), "no customer was enrolled for the erased person");

            // someone else is not blocked
            assertTrue(isNew(other.get(0)), other + " still enrols");
        } finally {
            removeBlocksAddedSince(blocksBefore);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private String lastDuplicateId;

    private boolean isNew(String photo) throws Exception {
        tx.begin();
        try {
            return ingest.ingest(sighting(crop(photo))).outcome() == IngestResult.Outcome.ENROLLED;
        } finally {
            tx.rollback();
        }
    }

    private IngestResult ingestCommitted(byte[] jpeg) throws Exception {
        tx.begin();
        try {
            IngestResult r = ingest.ingest(sighting(jpeg));
            tx.commit();
            return r;
        } catch (Exception | Error e) {
            tx.rollback();
            throw e;
        }
    }

    private CropSighting sighting(byte[] jpeg) {
        long frame = FRAMES.incrementAndGet();
        lastDuplicateId = CropContract.duplicateId("store_001", CAMERA, frame, 0);
        return new CropSighting("store_001", CAMERA, Instant.now(), frame, 0, 0.9f, 0.8f, lastDuplicateId,
                "yunet-2023mar", "erasure-it", jpeg);
    }

    private long customers() {
        return em.createQuery("SELECT COUNT(c) FROM Customer c", Long.class).getSingleResult();
    }

    private List<Long> blockIds() {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("SELECT id FROM erasure_block").getResultList();
        return ids.stream().map(o -> ((Number) o).longValue()).toList();
    }

    private void removeBlocksAddedSince(List<Long> before) throws Exception {
        tx.begin();
        try {
            for (Long id : blockIds()) {
                if (!before.contains(id)) {
                    em.createNativeQuery("DELETE FROM erasure_block WHERE id = ?1").setParameter(1, id).executeUpdate();
                }
            }
            tx.commit();
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
    }

    private static byte[] crop(String photo) throws IOException {
        return CropResources.read(photo);
    }
}
