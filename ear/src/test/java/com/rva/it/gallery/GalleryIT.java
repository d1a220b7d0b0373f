package com.rva.it.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.ingest.EmbedderProvider;
import com.rva.application.ingest.GalleryIndex;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.domain.Customer;
import com.rva.domain.FaceTemplate;
import com.rva.infrastructure.messaging.GalleryTopicPublisher;
import com.rva.infrastructure.retention.RetentionStore;
import com.rva.it.RvaDeployment;
import com.rva.it.batch.BatchAwait;
import com.rva.recognition.Vectors;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Topic;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The server's gallery: the kernel it scans with, exact or ANN by size, and how it follows changes without a
 * restart. {@link #anotherNodesChangesAndThisNodesPurgesReachTheRunningGallery}: (b) changes "another node" publishes
 * on the topic {@code rva.gallery} (enrolments, a merge, a delete) reach this node's gallery, while this node's own
 * messages and malformed ones change nothing (the malformed ones are counted); (a) this node's retention-purge and
 * erasure take the templates out of its gallery when they commit. Templates are random unit vectors of the model's
 * dimension (no face matches them), written straight into the database as another node would have; old ones are
 * dated 1990 and the template retention set to match, so no other test's data is touched. (One class, so one
 * deployment, for all of it.)
 */
@ExtendWith(ArquillianExtension.class)
class GalleryIT {

    private static final String OTHER_NODE = "other-node/gallery-sync-it";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(GalleryIT.class, BatchAwait.class);
    }

    @EJB
    GalleryIndex gallery;

    @EJB
    EmbedderProvider embedders;

    @EJB
    SettingsService settings;

    @EJB
    RetentionStore retention;

    @Inject
    BatchJobService jobs;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Resource(lookup = "java:/JmsXA")
    ConnectionFactory connectionFactory;

    @Resource(lookup = "java:/jms/topic/rva.gallery")
    Topic topic;

    private final Random random = new Random(System.nanoTime());

    @Test
    void aSmallGalleryIsScannedExactly() {
        int annFrom = Integer.parseInt(Setting.GALLERY_ANN_FROM.defaultValue());
        assertTrue(gallery.size() < annFrom, "the test database holds " + gallery.size() + " templates");
        assertEquals("exact", gallery.kind());
    }

    @Test
    void theServerScansWithTheVectorApi() {
        // the JVM option (arquillian.xml, standalone.conf) and the deployment's module dependency together
        String kernel = Vectors.kernel().name();
        assertTrue(kernel.startsWith("vector-api/"), "the deployment scans with " + kernel);
    }

    @Test
    void anotherNodesChangesAndThisNodesPurgesReachTheRunningGallery() throws Exception {
        String model = embedders.embedder().modelVersion();
        int dim = embedders.embedder().dimension();
        float[] va = unit(dim);
        float[] vb = unit(dim);
        float[] vc = unit(dim);
        float[] vd = unit(dim);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        LocalDateTime y1990 = LocalDateTime.of(1990, 5, 1, 12, 0);

        // what another node enrolled: written to the database only, so this node's gallery has none of it yet
        utx.begin();
        Customer a = customer(y1990);
        Customer b = customer(now);
        Customer c = customer(now);
        Customer d = customer(now);
        long ta = template(a, va, model, y1990);
        long tb = template(b, vb, model, now);
        long tc = template(c, vc, model, now);
        long td = template(d, vd, model, now);
        utx.commit();
        List<Long> blocksBefore = blockIds();
        try {
            for (float[] v : List.of(va, vb, vc, vd)) {
                assertFalse(holds(v, null), "not in the gallery before any message");
            }
            GalleryIndex.SyncStats start = gallery.syncStats();

            // this node's own message is not applied again; malformed ones are counted and skipped
            send(start.nodeId(), "ENROLLED", ids(ta, tb));
            await(() -> gallery.syncStats().ownIgnored() > start.ownIgnored(), "own message counted as ignored");
            send(OTHER_NODE, "ENROLLED", ta + ",abc");
            send(OTHER_NODE, "NO_SUCH_REASON", ids(ta));
            send(null, "ENROLLED", ids(ta));
            try (JMSContext jms = connectionFactory.createContext()) {
                jms.createProducer().setProperty(GalleryTopicPublisher.NODE, OTHER_NODE)
                        .setProperty(GalleryTopicPublisher.REASON, "ENROLLED").send(topic, new byte[] {1, 2, 3});
            }
            await(() -> gallery.syncStats().malformed() >= start.malformed() + 4, "four malformed messages counted");
            assertFalse(holds(va, null), "neither the own nor a malformed message loaded anything");

            // (b) another node's enrolments: this node's gallery now matches the new templates, with their customers
            send(OTHER_NODE, "ENROLLED", ids(ta, tb, tc, td));
            await(() -> holds(va, a.getId()) && holds(vb, b.getId()) && holds(vc, c.getId()) && holds(vd, d.getId()),
                    "the other node's enrolments are matched here");
            assertEquals(start.remoteChanges() + 1, gallery.syncStats().remoteChanges());

            // another node merged c into b: the template moves
            utx.begin();
            em.createNativeQuery("UPDATE face_template SET customer_id = ?1 WHERE id = ?2").setParameter(1, b.getId())
                    .setParameter(2, tc).executeUpdate();
            utx.commit();
            send(OTHER_NODE, "MOVED", ids(tc));
            await(() -> holds(vc, b.getId()), "the moved template matches its new customer");

            // another node purged d's template: it leaves this node's gallery
            utx.begin();
            em.createNativeQuery("DELETE FROM face_template WHERE id = ?1").setParameter(1, td).executeUpdate();
            utx.commit();
            send(OTHER_NODE, "PURGED", ids(td));
            await(() -> !holds(vd, null), "the other node's purge removes the template here");

            // (a) this node's retention-purge: a's template (1990, not seen since) leaves the gallery at its commit
            long ownBefore = gallery.syncStats().ownIgnored();
            settings.set(Setting.RETENTION_TEMPLATES_DAYS,
                    String.valueOf(ChronoUnit.DAYS.between(LocalDate.of(1995, 1, 1), LocalDate.now(ZoneOffset.UTC))));
            long erasure = retention.requestErasure(b.getId(), "it-admin", "gallery sync test");
            JobExecutionInfo run = BatchAwait.end(jobs, jobs.start("retention-purge", new Properties()), Duration.ofSeconds(60));
            assertEquals("COMPLETED", run.batchStatus(), run.toString());
            assertTrue(run.exitStatus().contains("ERASED=1"), run.exitStatus());
            assertEquals(0L, count("SELECT COUNT(*) FROM face_template WHERE id IN (" + ids(ta, tb, tc) + ")"));
            // no waiting: the gallery follows each purge transaction as it commits, before the job ends
            assertFalse(holds(va, null), "the purged template is gone from the running gallery");
            assertFalse(holds(vb, null), "the erased customer's template is gone from the running gallery");
            assertFalse(holds(vc, null), "and the template merged into it");
            assertEquals("DONE", em.createNativeQuery("SELECT status FROM erasure_request WHERE id = ?1")
                    .setParameter(1, erasure).getSingleResult());
            assertNotEquals(0, gallery.syncStats().remoteTemplates());
            // and this node told the others: its purge and erasure went to the topic (heard back here as its own)
            await(() -> gallery.syncStats().ownIgnored() > ownBefore, "this node's purge published on the topic");
        } finally {
            long ownBefore = gallery.syncStats().ownIgnored();
            settings.set(Setting.RETENTION_TEMPLATES_DAYS, Setting.RETENTION_TEMPLATES_DAYS.defaultValue());
            cleanUp(blocksBefore, List.of(a, b, c, d), ta, tb, tc, td);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** Whether the gallery's best match for {@code v} is that very template (of {@code customer}, when given). */
    private boolean holds(float[] v, Long customer) {
        return gallery.bestMatch(v).filter(m -> m.similarity() > 0.999f)
                .filter(m -> customer == null || m.customerId() == customer).isPresent();
    }

    private void send(String node, String reason, String body) {
        try (JMSContext jms = connectionFactory.createContext()) {
            var producer = jms.createProducer().setProperty(GalleryTopicPublisher.REASON, reason);
            if (node != null) {
                producer.setProperty(GalleryTopicPublisher.NODE, node);
            }
            producer.send(topic, body);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String ids(long... ids) {
        return java.util.Arrays.stream(ids).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    private Customer customer(LocalDateTime created) {
        Customer c = new Customer(created);
        em.persist(c);
        return c;
    }

    private long template(Customer c, float[] v, String model, LocalDateTime created) {
        FaceTemplate t = new FaceTemplate(c, model, v, 0.9f, created);
        em.persist(t);
        em.flush();
        return t.getId();
    }

    private float[] unit(int dim) {
        float[] v = new float[dim];
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        float norm = (float) Math.sqrt(sum);
        for (int i = 0; i < dim; i++) {
            v[i] /= norm;
        }
        return v;
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    private List<Long> blockIds() {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("SELECT id FROM erasure_block").getResultList();
        return ids.stream().map(o -> ((Number) o).longValue()).toList();
    }

    /**
     * Removes what the test wrote (block rows of the erased customer, templates and customers left), and tells the
     * gallery as another node would, so a failed run leaves no template behind in the running gallery either.
     */
    private void cleanUp(List<Long> blocksBefore, List<Customer> customers, long... templates) throws Exception {
        utx.begin();
        try {
            List<Long> added = new ArrayList<>(blockIds());
            added.removeAll(blocksBefore);
            for (Long id : added) {
                em.createNativeQuery("DELETE FROM erasure_block WHERE id = ?1").setParameter(1, id).executeUpdate();
            }
            em.createNativeQuery("DELETE FROM face_template WHERE id IN (" + ids(templates) + ")").executeUpdate();
            for (Customer c : customers) {
                em.createNativeQuery("DELETE FROM erasure_request WHERE customer_id = ?1 AND status = 'PENDING'").setParameter(1, c.getId())
                        .executeUpdate();
                em.createNativeQuery("DELETE FROM customer WHERE id = ?1").setParameter(1, c.getId()).executeUpdate();
            }
            utx.commit();
        } catch (Exception e) {
            utx.rollback();
            throw e;
        }
        send(OTHER_NODE, "PURGED", ids(templates));
    }
}
