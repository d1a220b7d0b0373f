package com.rva.application.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

import com.rva.domain.FaceTemplate;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.recognition.HnswGallery;
import com.rva.recognition.SwitchingGallery;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The in-memory gallery of this server. The database is the source of truth: the gallery is loaded from
 * the face templates at start-up (current model version only; other versions wait for re-embedding) and a
 * new template joins it only after its transaction commits. Thread safety is the gallery's and the
 * {@link EnrolmentCoordinator}'s own, so the container adds no lock.
 */
@Singleton
@Startup
@DependsOn({"SchemaMigrator", "EmbedderProvider"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GalleryIndex {

    private static final Logger LOG = Logger.getLogger(GalleryIndex.class.getName());
    private static final int PAGE = 5_000;
    private static final Duration MAX_ENROLMENT_WAIT = Duration.ofSeconds(30);

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    @EJB
    private EmbedderProvider embedders;

    @EJB
    private SettingsService settings;

    /** Exact scan or ANN index by size ({@code gallery.ann-from}); set once by {@link #load()}. */
    private SwitchingGallery gallery;
    private EnrolmentCoordinator coordinator;

    /** Reads page by page outside a transaction, so a large gallery cannot hit the transaction timeout. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void load() {
        String modelVersion = embedders.embedder().modelVersion();
        gallery = new SwitchingGallery(settings.getInt(Setting.GALLERY_ANN_FROM),
                HnswGallery.Settings.DEFAULT.withEfSearch(settings.getInt(Setting.GALLERY_ANN_EF_SEARCH)));
        coordinator = new EnrolmentCoordinator(gallery, MAX_ENROLMENT_WAIT);
        long start = System.nanoTime();
        long total = em.createNamedQuery(FaceTemplate.COUNT_BY_MODEL_VERSION, Long.class)
                .setParameter("modelVersion", modelVersion).getSingleResult();
        LOG.info(() -> "Loading the gallery: " + total + " templates of model " + modelVersion + " (ANN index from "
                + gallery.annFrom() + " templates, efSearch " + gallery.annSettings().efSearch() + ")");
        gallery.startLoad();
        long after = Long.MIN_VALUE;
        int loaded = 0;
        while (true) {
            List<Object[]> rows = em.createNamedQuery(FaceTemplate.VECTORS_AFTER, Object[].class)
                    .setParameter("modelVersion", modelVersion).setParameter("after", after)
                    .setMaxResults(PAGE).getResultList();
            for (Object[] row : rows) {
                long templateId = (Long) row[0];
                gallery.addLoaded((Long) row[1], templateId, FaceTemplate.decode((byte[]) row[2]), modelVersion);
                after = templateId;
            }
            loaded += rows.size();
            if (rows.size() < PAGE) {
                break;
            }
            int soFar = loaded;
            LOG.info(() -> "Gallery: " + soFar + " of " + total + " templates loaded");
        }
        long read = System.nanoTime();
        String kind = gallery.finishLoad();
        long built = System.nanoTime();
        long others = em.createQuery("SELECT COUNT(t) FROM FaceTemplate t WHERE t.modelVersion <> :modelVersion",
                Long.class).setParameter("modelVersion", modelVersion).getSingleResult();
        int count = loaded;
        LOG.info(() -> String.format("Gallery ready: %d templates of model %s in %d ms (read %d ms, %s built %d ms)%s",
                count, modelVersion, (built - start) / 1_000_000, (read - start) / 1_000_000,
                "ann".equals(kind) ? "ANN index" : "exact scan", (built - read) / 1_000_000,
                others == 0 ? "" : "; " + others + " templates of other model versions are not searched until re-embedded"));
    }

    /**
     * Matches a crop's embedding or enrols a new customer through {@code enroler}, in the caller's transaction;
     * a new template joins the gallery when that transaction commits.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public EnrolmentCoordinator.Decision matchOrEnrol(float[] vector, String modelVersion, double threshold,
            EnrolmentCoordinator.Enroler enroler) {
        Object txKey = txRegistry.getTransactionKey();
        return coordinator.matchOrEnrol(vector, modelVersion, threshold, txKey, () -> {
            EnrolmentCoordinator.Enrolment enrolment = enroler.enrol();
            onCompletion(committed -> coordinator.completed(txKey, committed));
            return enrolment;
        });
    }

    /**
     * A template added to a known customer (and the one it replaces, if any) in the caller's transaction: the
     * gallery follows when that transaction commits, and ignores it on rollback.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void templateKept(long customerId, long templateId, float[] vector, String modelVersion,
            Optional<Long> replaced) {
        float[] copy = vector.clone();
        onCompletion(committed -> {
            if (committed) {
                gallery.add(customerId, templateId, copy, modelVersion);
                replaced.ifPresent(gallery::remove);
            }
        });
    }

    /** A template that now belongs to another customer (a merge or its undo): the gallery follows on commit. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void templateMoved(long templateId, long toCustomer, float[] vector, String modelVersion) {
        onCompletion(committed -> {
            if (committed) {
                gallery.remove(templateId);
                gallery.add(toCustomer, templateId, vector, modelVersion);
            }
        });
    }

    /** Templates deleted with their customer (an erasure): the gallery drops them when the caller's transaction commits. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void templatesDeleted(List<Long> templateIds) {
        List<Long> ids = List.copyOf(templateIds);
        onCompletion(committed -> {
            if (committed) {
                ids.forEach(gallery::remove);
            }
        });
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public int size() {
        return gallery.size();
    }

    /** {@code exact} or {@code ann}: how the gallery searches now. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public String kind() {
        return gallery.kind();
    }

    /** Runs {@code outcome} (true when committed) after the caller's transaction ends. */
    private void onCompletion(Consumer<Boolean> outcome) {
        txRegistry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                outcome.accept(status == Status.STATUS_COMMITTED);
            }
        });
    }
}
