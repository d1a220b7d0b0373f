package com.rva.it.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

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
import com.rva.contract.CropContract;
import com.rva.domain.CropRejection;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * Real face crops (made client-side from ../shared/faces, see {@link IngestCrops}) go through JMS into the
 * crop MDB of the deployed application; the tests watch the database and the rejected queue. Every message
 * has a frame number unique to this run (the broker's duplicate-id cache and the database outlive runs), and
 * the visit tests clear store_002's visits first, so no test depends on another's data.
 */
@ExtendWith(ArquillianExtension.class)
@EnabledIf(value = "com.rva.it.ingest.CropResources#available",
        disabledReason = "../shared/faces is missing: the crops this test sends are made from it")
class IngestIT {

    /** Photos (identity/file under ../shared/faces) of the people who visit the stores in these tests. */
    static final List<String> VISITORS = List.of("amy/2.png", "amy/5.png", "howard/1.png", "howard/2.png",
            "penny/4.png", "leonard/1.png", "bernadette/1.png", "bernadette/4.png", "raj/1.png", "raj/2.png",
            "raj/3.png", "sheldon/3.png", "sheldon/5.png");
    /** A face that is only ever ingested in transactions that roll back, so it is never in the database. */
    static final String NEVER_COMMITTED = "obama/1.jpg";
    /** Every photo whose crop the deployment carries. */
    static final List<String> PHOTOS = Stream.concat(VISITORS.stream(), Stream.of(
            NEVER_COMMITTED)).toList();

    private static final String STORE_1 = "store_001";
    private static final String STORE_2 = "store_002";
    private static final String CAMERA = "cam-1";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Frame numbers no earlier run used. */
    private static final AtomicLong FRAMES = new AtomicLong(System.currentTimeMillis() * 1000);

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = RvaDeployment.earWith(IngestIT.class, CropResources.class);
        ear.addAsLibrary(IngestCrops.library());
        return ear;
    }

    @Resource(lookup = "java:/ConnectionFactory")
    ConnectionFactory connectionFactory;

    @Resource(lookup = "java:/jms/queue/rva.crops")
    Queue cropsQueue;

    @Resource(lookup = "java:/jms/queue/rva.crops.rejected")
    Queue rejectedQueue;

    @Resource(lookup = "java:jboss/UserTransaction")
    UserTransaction tx;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    IngestService ingest;

    // --- matching and enrolment ------------------------------------------------------------------------

    @Test
    void samePersonTwiceIsOneCustomer() throws Exception {
        String first = send(STORE_1, crop("amy/2.png"), Instant.now());
        String second = send(STORE_1, crop("amy/5.png"), Instant.now());
        Sighting a = awaitSighting(first);
        Sighting b = awaitSighting(second);
        assertEquals(a.getCustomer().getId(), b.getCustomer().getId(), "both crops of amy belong to one customer");
        assertTrue(b.getSimilarity() >= Float.parseFloat(Setting.MATCH_THRESHOLD.defaultValue()),
                "matched above the threshold: " + b.getSimilarity());
    }

    @Test
    void twoDifferentPeopleAreTwoCustomers() throws Exception {
        String howard = send(STORE_1, crop("howard/1.png"), Instant.now());
        String penny = send(STORE_1, crop("penny/4.png"), Instant.now());
        assertNotEquals(awaitSighting(howard).getCustomer().getId(), awaitSighting(penny).getCustomer().getId());
    }

    @Test
    void aBurstFromTwoStoresGivesEachPersonExactlyOneCustomer() throws Exception {
        int rounds = 8;
        Map<String, String> identityOfCrop = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < VISITORS.size(); i++) {
                String photo = VISITORS.get(i);
                // alternate the stores: two consumers work at once, as two stores' crops do
                String store = (round * VISITORS.size() + i) % 2 == 0 ? STORE_1 : STORE_2;
                identityOfCrop.put(send(store, crop(photo), Instant.now()), photo.substring(0, photo.indexOf('/')));
            }
        }
        List<Sighting> sightings = await("all " + identityOfCrop.size() + " sightings of the burst", () -> {
            List<Sighting> found = em.createQuery("SELECT s FROM Sighting s WHERE s.duplicateId IN :ids", Sighting.class)
                    .setParameter("ids", identityOfCrop.keySet()).getResultList();
            return found.size() == identityOfCrop.size() ? found : null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("IngestIT burst: %d crops through JMS in %.1f s (%.1f crops/s)%n", sightings.size(), seconds,
                sightings.size() / seconds);

        Map<String, Set<Long>> customersOfIdentity = new TreeMap<>();
        for (Sighting s : sightings) {
            customersOfIdentity.computeIfAbsent(identityOfCrop.get(s.getDuplicateId()), k -> new TreeSet<>())
                    .add(s.getCustomer().getId());
        }
        customersOfIdentity.forEach((identity, customers) ->
                assertEquals(1, customers.size(), identity + " became several customers: " + customersOfIdentity));
        long distinct = customersOfIdentity.values().stream().flatMap(Set::stream).distinct().count();
        assertEquals(customersOfIdentity.size(), distinct, "one customer per person: " + customersOfIdentity);
    }

    @Test
    void anEnrolmentThatRollsBackLeavesNoPhantomInTheGallery() throws Exception {
        byte[] face = crop(NEVER_COMMITTED);
        IngestResult first = ingestAndRollBack(face);
        assertEquals(IngestResult.Outcome.ENROLLED, first.outcome());
        IngestResult second = ingestAndRollBack(face);
        assertEquals(IngestResult.Outcome.ENROLLED, second.outcome(),
                "the rolled-back customer " + first.customerId() + " must not be matched");
        assertNotEquals(first.customerId(), second.customerId());
        assertEquals(0L, (long) em.createQuery("SELECT COUNT(c) FROM Customer c WHERE c.id IN :ids", Long.class)
                .setParameter("ids", List.of(first.customerId(), second.customerId())).getSingleResult());
    }

    private IngestResult ingestAndRollBack(byte[] face) throws Exception {
        long frame = FRAMES.incrementAndGet();
        tx.begin();
        try {
            return ingest.ingest(new CropSighting(STORE_1, CAMERA, Instant.now(), frame, 0, 0.9f, 0.8f,
                    CropContract.duplicateId(STORE_1, CAMERA, frame, 0), "yunet-2023mar", "it", face));
        } finally {
            tx.rollback();
        }
    }

    // --- idempotency -------------------------------------------------------------------------------------

    @Test
    void theSameMessageSentTwiceIsOneSighting() throws Exception {
        long frame = FRAMES.incrementAndGet();
        byte[] leonard = crop("leonard/1.png");
        Instant at = Instant.now();
        String duplicateId = send(STORE_1, CAMERA, frame, leonard, at, Map.of());
        send(STORE_1, CAMERA, frame, leonard, at, Map.of());
        // one store's crops are processed in order: once this one is in, both copies above were handled
        awaitSighting(send(STORE_1, crop("bernadette/1.png"), Instant.now()));
        assertEquals(1L, countSightings(duplicateId));
    }

    @Test
    void theIngestServiceIgnoresACropItAlreadyStored() throws Exception {
        long frame = FRAMES.incrementAndGet();
        CropSighting crop = new CropSighting(STORE_1, CAMERA, Instant.now().truncatedTo(ChronoUnit.MILLIS), frame, 0,
                0.9f, 0.8f, CropContract.duplicateId(STORE_1, CAMERA, frame, 0), "yunet-2023mar", "it",
                crop("howard/2.png"));
        IngestResult first = ingest.ingest(crop);
        IngestResult again = ingest.ingest(crop);
        assertNotEquals(IngestResult.Outcome.DUPLICATE, first.outcome());
        assertEquals(IngestResult.Outcome.DUPLICATE, again.outcome());
        assertEquals(1L, countSightings(crop.duplicateId()));
    }

    // --- permanent faults ------------------------------------------------------------------------------

    @Test
    void aCorruptCropIsRejectedWithItsReasonAndTheQueueKeepsFlowing() throws Exception {
        byte[] good = crop("bernadette/4.png");
        byte[] corrupt = Arrays.copyOf(good, good.length / 2);
        String token = UUID.randomUUID().toString();
        long frame = FRAMES.incrementAndGet();
        String duplicateId = send(STORE_1, CAMERA, frame, corrupt, Instant.now(), Map.of("itToken", token));
        String next = send(STORE_1, good, Instant.now());

        Message rejected = awaitRejected(token);
        assertTrue(rejected.getStringProperty(CropContract.REJECT_REASON).startsWith("UNDECODABLE_IMAGE: "),
                rejected.getStringProperty(CropContract.REJECT_REASON));
        assertEquals(frame, rejected.getLongProperty(CropContract.FRAME_SEQ), "the original properties travel along");
        assertEquals(STORE_1, rejected.getStringProperty(CropContract.STORE_ID));
        assertTrue(Arrays.equals(corrupt, rejected.getBody(byte[].class)), "the original body travels along");
        assertEquals(CropRejection.Reason.UNDECODABLE_IMAGE, awaitRejection(duplicateId).getReason());
        assertEquals(0L, countSightings(duplicateId));

        assertNotNull(awaitSighting(next), "the good crop after the corrupt one was processed");
    }

    @Test
    void aCropWithoutItsCameraIsRejectedAsMissingAProperty() throws Exception {
        String token = UUID.randomUUID().toString();
        long frame = FRAMES.incrementAndGet();
        Map<String, Object> properties = properties(STORE_1, CAMERA, frame, Instant.now());
        properties.remove(CropContract.CAMERA_ID);
        properties.put("itToken", token);
        String duplicateId = (String) properties.get(CropContract.DUPLICATE_ID);
        send(properties, crop("raj/3.png"));

        Message rejected = awaitRejected(token);
        assertEquals("MISSING_PROPERTY: property cameraId is missing",
                rejected.getStringProperty(CropContract.REJECT_REASON));
        CropRejection row = awaitRejection(duplicateId);
        assertEquals(CropRejection.Reason.MISSING_PROPERTY, row.getReason());
        assertEquals(STORE_1, row.getStoreCode());
    }

    @Test
    void aCropFromAnUnknownStoreIsRejected() throws Exception {
        String token = UUID.randomUUID().toString();
        long frame = FRAMES.incrementAndGet();
        String duplicateId = send("store_999", CAMERA, frame, crop("raj/3.png"), Instant.now(), Map.of("itToken", token));

        Message rejected = awaitRejected(token);
        assertEquals("UNKNOWN_STORE: store 'store_999' is not registered",
                rejected.getStringProperty(CropContract.REJECT_REASON));
        assertEquals("UNKNOWN_STORE", rejected.getStringProperty("rejectCode"));
        assertEquals(CropRejection.Reason.UNKNOWN_STORE, awaitRejection(duplicateId).getReason());
        assertEquals(0L, countSightings(duplicateId));
    }

    // --- visits --------------------------------------------------------------------------------------

    @Test
    void sightingsFiveMinutesApartAreOneVisit() throws Exception {
        clearVisits(STORE_2);
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Sighting a = awaitSighting(send(STORE_2, crop("sheldon/3.png"), t0));
        Sighting b = awaitSighting(send(STORE_2, crop("sheldon/5.png"), t0.plus(5, ChronoUnit.MINUTES)));
        assertEquals(a.getCustomer().getId(), b.getCustomer().getId());
        assertEquals(a.getVisit().getId(), b.getVisit().getId());
        Visit visit = em.find(Visit.class, b.getVisit().getId());
        assertEquals(2, visit.getSightingCount());
        assertEquals(Duration.ofMinutes(5), visit.dwell());
    }

    @Test
    void sightingsFortyMinutesApartAreTwoVisits() throws Exception {
        clearVisits(STORE_2);
        Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Sighting a = awaitSighting(send(STORE_2, crop("raj/1.png"), t0));
        Sighting b = awaitSighting(send(STORE_2, crop("raj/2.png"), t0.plus(40, ChronoUnit.MINUTES)));
        assertEquals(a.getCustomer().getId(), b.getCustomer().getId());
        assertNotEquals(a.getVisit().getId(), b.getVisit().getId());
        long visits = em.createQuery("SELECT COUNT(v) FROM Visit v WHERE v.customer.id = :c AND v.store.code = :s",
                Long.class).setParameter("c", a.getCustomer().getId()).setParameter("s", STORE_2).getSingleResult();
        assertEquals(2L, visits);
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static byte[] crop(String photo) throws IOException {
        return CropResources.read(photo);
    }

    private static Map<String, Object> properties(String store, String camera, long frame, Instant capturedAt) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CropContract.STORE_ID, store);
        p.put(CropContract.CAMERA_ID, camera);
        p.put(CropContract.CAPTURED_AT, capturedAt.toString());
        p.put(CropContract.FRAME_SEQ, frame);
        p.put(CropContract.FACE_INDEX, 0);
        p.put(CropContract.DET_SCORE, 0.92f);
        p.put(CropContract.QUALITY, 0.81f);
        p.put(CropContract.DETECTOR_MODEL, "yunet-2023mar");
        p.put(CropContract.COLLECTOR_VERSION, "ingest-it");
        p.put(CropContract.DUPLICATE_ID, CropContract.duplicateId(store, camera, frame, 0));
        p.put(CropContract.GROUP_ID, store);
        return p;
    }

    private String send(String store, byte[] jpeg, Instant capturedAt) throws JMSException {
        return send(store, CAMERA, FRAMES.incrementAndGet(), jpeg, capturedAt, Map.of());
    }

    /** Sends a crop with all contract properties (plus extras) and returns its duplicate id. */
    private String send(String store, String camera, long frame, byte[] jpeg, Instant capturedAt,
            Map<String, Object> extra) throws JMSException {
        Map<String, Object> p = properties(store, camera, frame, capturedAt);
        p.putAll(extra);
        send(p, jpeg);
        return (String) p.get(CropContract.DUPLICATE_ID);
    }

    private void send(Map<String, Object> properties, byte[] jpeg) throws JMSException {
        try (JMSContext jms = connectionFactory.createContext()) {
            BytesMessage message = jms.createBytesMessage();
            message.writeBytes(jpeg);
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (e.getValue() instanceof String s) {
                    message.setStringProperty(e.getKey(), s);
                } else {
                    message.setObjectProperty(e.getKey(), e.getValue());
                }
            }
            jms.createProducer().send(cropsQueue, message);
        }
    }

    private Sighting awaitSighting(String duplicateId) throws InterruptedException {
        return await("a sighting of " + duplicateId, () -> em.createNamedQuery(Sighting.BY_DUPLICATE_ID, Sighting.class)
                .setParameter("duplicateId", duplicateId).getResultStream().findFirst().orElse(null));
    }

    private CropRejection awaitRejection(String duplicateId) throws InterruptedException {
        return await("a rejection of " + duplicateId, () -> em.createNamedQuery(CropRejection.BY_DUPLICATE_ID,
                CropRejection.class).setParameter("duplicateId", duplicateId).getResultStream().findFirst().orElse(null));
    }

    private long countSightings(String duplicateId) {
        return em.createNamedQuery(Sighting.COUNT_BY_DUPLICATE_ID, Long.class).setParameter("duplicateId", duplicateId)
                .getSingleResult();
    }

    private Message awaitRejected(String token) throws JMSException {
        try (JMSContext jms = connectionFactory.createContext();
                JMSConsumer consumer = jms.createConsumer(rejectedQueue, "itToken = '" + token + "'")) {
            Message m = consumer.receive(WAIT.toMillis());
            if (m == null) {
                fail("No message with itToken " + token + " on rva.crops.rejected within " + WAIT.toSeconds() + " s");
            }
            return m;
        }
    }

    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        return fail("No " + what + " within " + WAIT.toSeconds() + " s");
    }

    /** Removes one store's sightings and visits, so visit counts start from nothing. */
    private void clearVisits(String storeCode) throws Exception {
        tx.begin();
        try {
            Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", storeCode)
                    .getSingleResult();
            em.createQuery("DELETE FROM Sighting s WHERE s.store = :store").setParameter("store", store).executeUpdate();
            em.createQuery("DELETE FROM Visit v WHERE v.store = :store").setParameter("store", store).executeUpdate();
            tx.commit();
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
    }
}
