package com.rva.application.ingest;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.settings.SettingsService;
import com.rva.domain.CropRejection;
import com.rva.domain.Customer;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Sighting;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.Embedder;
import com.rva.recognition.InvalidCropException;
import com.rva.recognition.TemplatePolicy;

import org.eclipse.persistence.sessions.Session;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

/**
 * The ingest flow of DESIGN §6 in the caller's transaction: duplicate check, embed, match or enrol,
 * sighting, visit. Anything that fails here is treated as transient by the message consumer (rollback and
 * redelivery); the crop was validated before it got here.
 */
@Stateless
public class DefaultIngestService implements IngestService {

    private static final Logger LOG = Logger.getLogger(DefaultIngestService.class.getName());

    /** The embedding's CPU time on this thread (-1 where the JVM does not measure it), beside its wall time. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private EmbedderProvider embedders;

    @EJB
    private GalleryIndex gallery;

    @EJB
    private SettingsService settings;

    @EJB
    private CameraDirectory cameras;

    @EJB
    private ErasureBlockList erased;

    private final CropDecoder decoder = new CropDecoder();

    /**
     * The server's one embedder, taken from {@link EmbedderProvider} at this instance's first crop: it is made once at
     * deployment and lives as long as the deployment, and a call through the provider's proxy per crop cost as much
     * as the match (async-profiler on the ingest bench, docs/recognition.md).
     */
    private Embedder embedder;

    @Override
    public IngestResult ingest(CropSighting crop) {
        long start = System.nanoTime();
        long t = start;
        Connection connection = connection();
        if (stored(connection, crop.duplicateId())) {
            LOG.fine(() -> "Crop " + crop.duplicateId() + " is already stored; ignored");
            IngestMetrics.ingested(IngestResult.Outcome.DUPLICATE, 0, -1, 0, gallery::size);
            return IngestResult.duplicate();
        }
        t = lap(IngestMetrics.Phase.DUPLICATE_CHECK, t);
        CameraDirectory.CameraIds camera = cameras.cameraIds(crop.storeCode(), crop.cameraCode()).orElseThrow(() ->
                new IllegalArgumentException("Crop " + crop.duplicateId() + " names an unknown camera"));
        BufferedImage image = crop.image();
        if (image == null) {
            try {
                image = decoder.decode(crop.jpeg());
            } catch (InvalidCropException e) {
                throw new IllegalArgumentException("Crop " + crop.duplicateId() + ": " + e.getMessage(), e);
            }
        }
        t = lap(IngestMetrics.Phase.DECODE, t);

        Embedder embedder = embedder();
        long embedStart = System.nanoTime();
        long embedCpuStart = THREADS.getCurrentThreadCpuTime();
        float[] vector = embedder.embed(image);
        long embedNanos = System.nanoTime() - embedStart;
        long embedCpuNanos = embedCpuStart < 0 ? -1 : THREADS.getCurrentThreadCpuTime() - embedCpuStart;
        t = lap(IngestMetrics.Phase.EMBED, t);

        String modelVersion = embedder.modelVersion();
        // one call for the three settings a crop needs (a call through the bean's proxy costs as much as the look-up)
        SettingsService.IngestValues values = settings.ingestValues();
        double threshold = values.matchThreshold();
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        // an erased person is not enrolled again (docs/privacy.md): checked before matching, so the crop joins no
        // one; it is counted, and neither the crop nor its embedding is kept
        boolean blocked = erased.blocks(vector, modelVersion, threshold);
        t = lap(IngestMetrics.Phase.ERASURE_CHECK, t);
        if (blocked) {
            if (!em.createNamedQuery(CropRejection.BY_DUPLICATE_ID, CropRejection.class)
                    .setParameter("duplicateId", crop.duplicateId()).setMaxResults(1).getResultList().isEmpty()) {
                // a redelivery of a crop already dropped (its acknowledgement was lost): counted once
                return IngestResult.blocked(Float.NaN);
            }
            em.persist(new CropRejection(CropRejection.Reason.ERASED_BLOCKED, "matches the template of an erased customer",
                    crop.duplicateId(), crop.storeCode(), now));
            LOG.info(() -> "Crop " + crop.duplicateId() + " matches an erased customer; dropped");
            IngestMetrics.rejected(CropRejection.Reason.ERASED_BLOCKED);
            return IngestResult.blocked(Float.NaN);
        }
        EnrolmentCoordinator.Decision decision = gallery.matchOrEnrol(vector, modelVersion, threshold, () -> {
            Customer customer = new Customer(now);
            em.persist(customer);
            FaceTemplate template = new FaceTemplate(customer, modelVersion, vector, crop.quality(), now);
            em.persist(template);
            return new EnrolmentCoordinator.Enrolment(customer.getId(), template.getId());
        });
        t = lap(IngestMetrics.Phase.MATCH, t);
        long customerId = decision.customerId();
        if (decision.enrolled()) {
            em.flush(); // the new customer's row before the sighting that refers to it
        }
        t = lap(IngestMetrics.Phase.CUSTOMER, t);
        if (!decision.enrolled()) {
            keepTemplate(connection, customerId, vector, modelVersion, crop.quality(), now,
                    values.templatesPerCustomer());
        }
        t = lap(IngestMetrics.Phase.TEMPLATE, t);

        // an enrolment is its own template: similarity 1
        float similarity = decision.enrolled() ? 1f : decision.similarity();
        SightingRows.Recorded recorded;
        try {
            recorded = SightingRows.record(connection, new SightingRows.Row(crop.duplicateId(), customerId,
                    camera.storeId(), camera.cameraId(), LocalDateTime.ofInstant(crop.capturedAt(), ZoneOffset.UTC), now,
                    similarity, crop.detScore(), crop.quality()), values.visitGap(), this::nextId);
        } catch (SQLException e) {
            // a customer matched in memory but gone from the database (erased on another node), a broken connection:
            // the transaction rolls back and the crop is redelivered
            throw new IllegalStateException("Crop " + crop.duplicateId() + " of customer " + customerId
                    + " could not be stored: " + e.getMessage(), e);
        }
        lap(IngestMetrics.Phase.VISIT, t);

        IngestResult.Outcome outcome = decision.enrolled() ? IngestResult.Outcome.ENROLLED : IngestResult.Outcome.ATTACHED;
        if (decision.enrolled()) {
            LOG.info(() -> String.format("Enrolled customer %d from crop %s (closest known face %s, threshold %.3f)",
                    customerId, crop.duplicateId(),
                    Float.isNaN(decision.similarity()) ? "none" : String.format("%.3f", decision.similarity()),
                    threshold));
        }
        IngestMetrics.ingested(outcome, embedNanos, embedCpuNanos, System.nanoTime() - start, gallery::size);
        return new IngestResult(outcome, customerId, recorded.sightingId(), recorded.visitId(), decision.similarity());
    }

    private static boolean stored(Connection connection, String duplicateId) {
        try {
            return SightingRows.stored(connection, duplicateId);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check whether crop " + duplicateId + " is stored: "
                    + e.getMessage(), e);
        }
    }

    private Embedder embedder() {
        Embedder e = embedder;
        if (e == null) {
            e = embedders.embedder();
            embedder = e;
        }
        return e;
    }

    /** The JDBC connection of this transaction's persistence context (EclipseLink's own: one connection, one order). */
    private Connection connection() {
        Connection c = em.unwrap(Connection.class);
        if (c == null) {
            throw new IllegalStateException("ingest needs a transaction");
        }
        return c;
    }

    /** A new id from the sequence the entities use (EclipseLink's preallocated blocks, so ids never collide). */
    private long nextId() {
        return ((Number) em.unwrap(Session.class).getNextSequenceNumberValue(Sighting.class)).longValue();
    }

    /** Times {@code phase} from {@code since} to now; returns now. */
    private long lap(IngestMetrics.Phase phase, long since) {
        long now = System.nanoTime();
        IngestMetrics.time(phase, now - since);
        return now;
    }

    /** Applies the {@link TemplatePolicy}: the customer keeps its K best-quality templates of this model version. */
    private void keepTemplate(Connection connection, long customerId, float[] vector, String modelVersion,
            float quality, LocalDateTime now, int templatesPerCustomer) {
        TemplatePolicy policy = new TemplatePolicy(templatesPerCustomer);
        TemplatePolicy.Decision decision = policy.onAttach(kept(connection, customerId, modelVersion), quality);
        if (!decision.keep()) {
            return; // the common case once a customer has K good templates: no lock, nothing written
        }
        // about to take a place: lock the customer so two crops of one person cannot both take the last free place,
        // then decide again on what is kept now (a crop that held the lock before may have taken it)
        Customer customer = em.find(Customer.class, customerId, LockModeType.PESSIMISTIC_WRITE);
        if (customer == null) {
            throw new IllegalStateException("The gallery matched customer " + customerId
                    + ", which is not in the database");
        }
        decision = policy.onAttach(kept(connection, customerId, modelVersion), quality);
        if (!decision.keep()) {
            return;
        }
        decision.replaces().ifPresent(old -> em.remove(em.getReference(FaceTemplate.class, old)));
        FaceTemplate template = new FaceTemplate(customer, modelVersion, vector, quality, now);
        em.persist(template);
        gallery.templateKept(customerId, template.getId(), vector, modelVersion, decision.replaces());
    }

    /** The customer's templates of this model version, as the database has them (one plain statement). */
    private static List<TemplatePolicy.Kept> kept(Connection connection, long customerId, String modelVersion) {
        List<TemplatePolicy.Kept> kept = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, quality FROM face_template WHERE customer_id = ? AND model_version = ? ORDER BY id")) {
            ps.setLong(1, customerId);
            ps.setString(2, modelVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kept.add(new TemplatePolicy.Kept(rs.getLong(1), rs.getFloat(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the templates of customer " + customerId + ": "
                    + e.getMessage(), e);
        }
        return kept;
    }
}
