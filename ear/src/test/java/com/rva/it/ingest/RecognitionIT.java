package com.rva.it.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.ingest.CropSighting;
import com.rva.application.ingest.IngestResult;
import com.rva.application.ingest.IngestService;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.contract.CropContract;
import com.rva.domain.FaceTemplate;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * Recognition inside the server: two crops of one new person ingested at the same moment by two transactions
 * end as one customer, and a customer keeps at most K templates, the best-quality ones.
 * <p>
 * "New" means unknown to this server's database, which outlives a run (target/it-data): each test takes the
 * first person of {@link #NEW_PEOPLE} the gallery does not know yet (probed in a transaction that rolls back).
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIf(value = "com.rva.it.ingest.CropResources#available",
        disabledReason = "../shared/faces is missing: the crops this test sends are made from it")
class RecognitionIT {

    /** Two photos each of people no other in-server test ingests (cosine of each pair ≥ 0.7). */
    static final List<List<String>> NEW_PEOPLE = List.of(
            List.of("deepface_p01/5.jpg", "deepface_p01/6.jpg"), List.of("deepface_p02/4.jpg", "deepface_p02/8.jpg"),
            List.of("deepface_p03/1.jpg", "deepface_p03/5.jpg"), List.of("deepface_p04/5.jpg", "deepface_p04/6.jpg"),
            List.of("deepface_p05/1.jpg", "deepface_p05/5.jpg"), List.of("deepface_p06/1.jpg", "deepface_p06/2.jpg"),
            List.of("deepface_p07/1.jpg", "deepface_p07/3.jpg"), List.of("deepface_p08/1.jpg", "deepface_p08/4.jpg"),
            List.of("alex_lacamoire/1.jpg", "alex_lacamoire/2.jpg"), List.of("rose_leslie/1.jpg", "rose_leslie/2.jpg"));

    private static final String CAMERA = "cam-1";
    private static final AtomicLong FRAMES = new AtomicLong(System.currentTimeMillis() * 1000 + 500_000);

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = RvaDeployment.earWith(RecognitionIT.class, CropResources.class);
        ear.addAsLibrary(IngestCrops.library("rva-it-recognition-crops.jar",
                NEW_PEOPLE.stream().flatMap(List::stream).toList()));
        return ear;
    }

    @Resource(lookup = "java:jboss/UserTransaction")
    UserTransaction tx;

    @Resource
    ManagedExecutorService executor;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    IngestService ingest;

    @Inject
    SettingsService settings;

    @Test
    void twoCropsOfANewPersonIngestedAtTheSameTimeAreOneCustomer() throws Exception {
        List<String> person = newPerson();
        byte[] first = crop(person.get(0));
        byte[] second = crop(person.get(1));
        CyclicBarrier start = new CyclicBarrier(2);
        Future<IngestResult> a = executor.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return ingestCommitted("store_001", first, 0.8f);
        });
        Future<IngestResult> b = executor.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            return ingestCommitted("store_002", second, 0.8f);
        });
        IngestResult ra = a.get(90, TimeUnit.SECONDS);
        IngestResult rb = b.get(90, TimeUnit.SECONDS);

        assertEquals(ra.customerId(), rb.customerId(), "both crops of " + person + " belong to one customer: " + ra + ", " + rb);
        assertEquals(Set.of(IngestResult.Outcome.ENROLLED, IngestResult.Outcome.ATTACHED),
                Set.of(ra.outcome(), rb.outcome()), "one enrolled, the other attached");
        // the attached crop became the customer's second template (K = 8 by default)
        assertEquals(2, templates(ra.customerId()).size());
    }

    @Test
    void aCustomerKeepsAtMostKTemplatesTheBestOnes() throws Exception {
        List<String> person = newPerson();
        byte[] face = crop(person.get(0));
        byte[] other = crop(person.get(1));
        String key = Setting.TEMPLATES_PER_CUSTOMER.key();
        setTemplatesPerCustomer("3");
        try {
            long customer = ingestCommitted("store_001", face, 0.50f).customerId();
            for (float quality : new float[] {0.60f, 0.20f, 0.90f, 0.70f, 0.30f}) {
                IngestResult r = ingestCommitted("store_001", quality > 0.5f ? other : face, quality);
                assertEquals(customer, r.customerId(), key + " test: the same person attaches");
            }
            List<Float> qualities = templates(customer).stream().map(FaceTemplate::getQuality).sorted().toList();
            assertEquals(List.of(0.60f, 0.70f, 0.90f), qualities, "the three best of 0.5, 0.6, 0.2, 0.9, 0.7, 0.3");
            // every template is stamped with the model version that made it
            assertTrue(templates(customer).stream().allMatch(t -> "fr_feature-1".equals(t.getModelVersion())));
        } finally {
            setTemplatesPerCustomer(Setting.TEMPLATES_PER_CUSTOMER.defaultValue());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** The first candidate whose face no customer matches yet. */
    private List<String> newPerson() throws Exception {
        List<String> known = new ArrayList<>();
        for (List<String> person : NEW_PEOPLE) {
            IngestResult probe;
            tx.begin();
            try {
                probe = ingest.ingest(sighting("store_001", crop(person.get(0)), 0.8f));
            } finally {
                tx.rollback();
            }
            if (probe.outcome() == IngestResult.Outcome.ENROLLED) {
                return person;
            }
            known.add(person.get(0));
        }
        assumeTrue(false, "Skipped: every candidate face is already a customer in this server's database ("
                + known.stream().collect(Collectors.joining(", ")) + "); delete ear/target/it-data to start afresh");
        throw new AssertionError();
    }

    private IngestResult ingestCommitted(String store, byte[] jpeg, float quality) throws Exception {
        tx.begin();
        try {
            IngestResult r = ingest.ingest(sighting(store, jpeg, quality));
            tx.commit();
            return r;
        } catch (Exception | Error e) {
            tx.rollback();
            throw e;
        }
    }

    private static CropSighting sighting(String store, byte[] jpeg, float quality) {
        long frame = FRAMES.incrementAndGet();
        return new CropSighting(store, CAMERA, Instant.now(), frame, 0, 0.9f, quality,
                CropContract.duplicateId(store, CAMERA, frame, 0), "yunet-2023mar", "recognition-it", jpeg);
    }

    private List<FaceTemplate> templates(long customerId) {
        em.clear();
        return em.createQuery("SELECT t FROM FaceTemplate t WHERE t.customer.id = :c", FaceTemplate.class)
                .setParameter("c", customerId).getResultList();
    }

    private void setTemplatesPerCustomer(String value) throws Exception {
        tx.begin();
        try {
            settings.set(Setting.TEMPLATES_PER_CUSTOMER, value);
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
