package com.rva.application.ingest;

import java.awt.image.BufferedImage;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.domain.Camera;
import com.rva.domain.CropRejection;
import com.rva.domain.Customer;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Sighting;
import com.rva.domain.Visit;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.Embedder;
import com.rva.recognition.InvalidCropException;
import com.rva.recognition.TemplatePolicy;

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

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private EmbedderProvider embedders;

    @EJB
    private GalleryIndex gallery;

    @EJB
    private VisitService visits;

    @EJB
    private SettingsService settings;

    @EJB
    private CameraDirectory cameras;

    @EJB
    private IngestMetrics metrics;

    @EJB
    private ErasureBlockList erased;

    private final CropDecoder decoder = new CropDecoder();

    @Override
    public IngestResult ingest(CropSighting crop) {
        long start = System.nanoTime();
        long t = start;
        if (em.createNamedQuery(Sighting.COUNT_BY_DUPLICATE_ID, Long.class)
                .setParameter("duplicateId", crop.duplicateId()).getSingleResult() > 0) {
            LOG.fine(() -> "Crop " + crop.duplicateId() + " is already stored; ignored");
            metrics.ingested(IngestResult.Outcome.DUPLICATE, 0, 0, gallery.size());
            return IngestResult.duplicate();
        }
        t = lap(IngestMetrics.Phase.DUPLICATE_CHECK, t);
        Camera camera = cameras.camera(crop.storeCode(), crop.cameraCode()).orElseThrow(() ->
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

        Embedder embedder = embedders.embedder();
        long embedStart = System.nanoTime();
        float[] vector = embedder.embed(image);
        long embedNanos = System.nanoTime() - embedStart;
        t = lap(IngestMetrics.Phase.EMBED, t);

        String modelVersion = embedder.modelVersion();
        double threshold = settings.getDouble(Setting.MATCH_THRESHOLD);
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
            metrics.rejected(CropRejection.Reason.ERASED_BLOCKED);
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
        Customer customer = em.find(Customer.class, decision.customerId());
        if (customer == null) {
            throw new IllegalStateException("The gallery matched customer " + decision.customerId()
                    + ", which is not in the database");
        }
        t = lap(IngestMetrics.Phase.CUSTOMER, t);
        if (!decision.enrolled()) {
            keepTemplate(customer, vector, modelVersion, crop.quality(), now);
        }
        t = lap(IngestMetrics.Phase.TEMPLATE, t);

        LocalDateTime capturedAt = LocalDateTime.ofInstant(crop.capturedAt(), ZoneOffset.UTC);
        // an enrolment is its own template: similarity 1
        float similarity = decision.enrolled() ? 1f : decision.similarity();
        Sighting sighting = new Sighting(crop.duplicateId(), customer, camera, capturedAt, now, similarity,
                crop.detScore(), crop.quality());
        Visit visit = visits.record(sighting);
        lap(IngestMetrics.Phase.VISIT, t);

        IngestResult.Outcome outcome = decision.enrolled() ? IngestResult.Outcome.ENROLLED : IngestResult.Outcome.ATTACHED;
        if (decision.enrolled()) {
            LOG.info(() -> String.format("Enrolled customer %d from crop %s (closest known face %s, threshold %.3f)",
                    customer.getId(), crop.duplicateId(),
                    Float.isNaN(decision.similarity()) ? "none" : String.format("%.3f", decision.similarity()),
                    threshold));
        }
        metrics.ingested(outcome, embedNanos, System.nanoTime() - start, gallery.size());
        return new IngestResult(outcome, customer.getId(), sighting.getId(), visit.getId(),
                decision.similarity());
    }

    /** Times {@code phase} from {@code since} to now; returns now. */
    private long lap(IngestMetrics.Phase phase, long since) {
        long now = System.nanoTime();
        IngestMetrics.time(phase, now - since);
        return now;
    }

    /** Applies the {@link TemplatePolicy}: the customer keeps its K best-quality templates of this model version. */
    private void keepTemplate(Customer customer, float[] vector, String modelVersion, float quality, LocalDateTime now) {
        TemplatePolicy policy = new TemplatePolicy(settings.getInt(Setting.TEMPLATES_PER_CUSTOMER));
        TemplatePolicy.Decision decision = policy.onAttach(kept(customer, modelVersion), quality);
        if (!decision.keep()) {
            return; // the common case once a customer has K good templates: no lock, nothing written
        }
        // about to take a place: lock the customer so two crops of one person cannot both take the last free place,
        // then decide again on what is kept now (a crop that held the lock before may have taken it)
        em.lock(customer, LockModeType.PESSIMISTIC_WRITE);
        decision = policy.onAttach(kept(customer, modelVersion), quality);
        if (!decision.keep()) {
            return;
        }
        decision.replaces().ifPresent(old -> em.remove(em.getReference(FaceTemplate.class, old)));
        FaceTemplate template = new FaceTemplate(customer, modelVersion, vector, quality, now);
        em.persist(template);
        gallery.templateKept(customer.getId(), template.getId(), vector, modelVersion, decision.replaces());
    }

    private List<TemplatePolicy.Kept> kept(Customer customer, String modelVersion) {
        return em.createNamedQuery(FaceTemplate.KEPT_BY_CUSTOMER, Object[].class)
                .setParameter("customerId", customer.getId()).setParameter("modelVersion", modelVersion)
                .getResultList().stream().map(r -> new TemplatePolicy.Kept((Long) r[0], (Float) r[1])).toList();
    }
}
