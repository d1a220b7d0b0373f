package com.rva.application.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.domain.FaceTemplate;
import com.rva.infrastructure.persistence.AfterCompletion;
import com.rva.recognition.HnswGallery;
import com.rva.recognition.Match;
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
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The in-memory gallery of this server. The database is the source of truth: the gallery is loaded from
 * the face templates at start-up (current model version only; other versions wait for re-embedding) and a
 * new template joins it only after its transaction commits. Thread safety is the gallery's and the
 * {@link EnrolmentCoordinator}'s own, so the container adds no lock.
 * <p>
 * <b>Cluster.</b> Every change this node commits (enrolment, template kept or replaced, merge and undo, purge,
 * erasure) is applied here right after the commit and then fired as a {@link GalleryChange} event, which
 * {@code GalleryTopicPublisher} sends to the topic {@code rva.gallery}; the other nodes' {@code GalleryChangeConsumer}
 * hands it to {@link #applyRemote}, which reloads the named templates from the database (docs/recognition.md).
 */
@Singleton
@Startup
@DependsOn({"SchemaMigrator", "EmbedderProvider"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GalleryIndex {

    private static final Logger LOG = Logger.getLogger(GalleryIndex.class.getName());
    private static final int PAGE = 5_000;
    private static final Duration MAX_ENROLMENT_WAIT = Duration.ofSeconds(30);
    private static final long SYNC_LOG_EVERY_NANOS = 60_000_000_000L;

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    @EJB
    private EmbedderProvider embedders;

    @EJB
    private SettingsService settings;

    /** Gallery changes this node committed, for the other nodes (observed after the commit). */
    @Inject
    private Event<GalleryChange> changes;

    /** Exact scan or ANN index by size ({@code gallery.ann-from}); set once by {@link #load()}. */
    private SwitchingGallery gallery;
    private EnrolmentCoordinator coordinator;
    private String modelVersion;

    /**
     * Held while a remote change reads its rows and applies them, and while a local commit is applied, so a reload
     * that read a row just before a local commit cannot overwrite what that commit applied.
     */
    private final ReentrantLock applyLock = new ReentrantLock();
    private final LongAdder remoteChanges = new LongAdder();
    private final LongAdder remoteTemplates = new LongAdder();
    private final LongAdder ownIgnored = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private long lastSyncLog = System.nanoTime() - SYNC_LOG_EVERY_NANOS; // guarded by applyLock

    /** Reads page by page outside a transaction, so a large gallery cannot hit the transaction timeout. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void load() {
        String modelVersion = embedders.embedder().modelVersion();
        this.modelVersion = modelVersion;
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
            AfterCompletion.register(txRegistry, committed -> {
                coordinator.completed(txKey, committed);
                if (committed) {
                    publish(GalleryChange.Reason.ENROLLED, List.of(enrolment.templateId()));
                }
            });
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
        List<Long> ids = new ArrayList<>(List.of(templateId));
        replaced.ifPresent(ids::add);
        onCommit(GalleryChange.Reason.TEMPLATE_KEPT, ids, () -> {
            gallery.remove(templateId); // idempotent: another node's change may have reloaded it already
            gallery.add(customerId, templateId, copy, modelVersion);
            replaced.ifPresent(gallery::remove);
        });
    }

    /** A template that now belongs to another customer (a merge or its undo): the gallery follows on commit. */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void templateMoved(long templateId, long toCustomer, float[] vector, String modelVersion) {
        onCommit(GalleryChange.Reason.MOVED, List.of(templateId), () -> {
            gallery.remove(templateId);
            gallery.add(toCustomer, templateId, vector, modelVersion);
        });
    }

    /**
     * Templates deleted (retention-purge: {@link GalleryChange.Reason#PURGED}; an erasure:
     * {@link GalleryChange.Reason#ERASED}): the gallery drops them when the caller's transaction commits.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void templatesDeleted(List<Long> templateIds, GalleryChange.Reason reason) {
        if (templateIds.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(templateIds);
        onCommit(reason, ids, () -> ids.forEach(gallery::remove));
    }

    /**
     * A change another node committed: its templates are reloaded from the database (those gone leave the gallery,
     * the others join it or move to the customer they belong to now). Runs in a transaction of its own.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public TemplateReload.Outcome applyRemote(String fromNode, GalleryChange change) {
        applyLock.lock();
        try {
            List<TemplateReload.Stored> rows = new ArrayList<>();
            List<Long> ids = change.templateIds();
            for (int from = 0; from < ids.size(); from += 500) { // IN lists stay short on every database
                for (Object[] r : em.createQuery("SELECT t.id, t.customer.id, t.modelVersion, t.embedding"
                        + " FROM FaceTemplate t WHERE t.id IN :ids", Object[].class)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500))).getResultList()) {
                    rows.add(new TemplateReload.Stored((Long) r[0], (Long) r[1], (String) r[2],
                            FaceTemplate.decode((byte[]) r[3])));
                }
            }
            TemplateReload.Outcome outcome = TemplateReload.apply(gallery, modelVersion, ids, rows);
            remoteChanges.increment();
            remoteTemplates.add(outcome.templates());
            LOG.fine(() -> "Gallery follows node " + fromNode + ": " + change.reason() + " of " + ids.size()
                    + " template(s): " + outcome);
            long now = System.nanoTime();
            if (now - lastSyncLog >= SYNC_LOG_EVERY_NANOS) { // one line a minute at most, however busy the others are
                lastSyncLog = now;
                LOG.info(() -> String.format("Gallery follows the other nodes: %d change(s), %d template(s) reloaded so"
                        + " far (latest from %s: %s %s); %d templates held", remoteChanges.sum(), remoteTemplates.sum(),
                        fromNode, change.reason(), outcome, gallery.size()));
            }
            return outcome;
        } finally {
            applyLock.unlock();
        }
    }

    /** A message on the gallery topic that this node sent itself (already applied at its commit). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public void ownChangeIgnored() {
        ownIgnored.increment();
    }

    /** A message on the gallery topic that is not a well-formed change: counted and logged, nothing applied. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public void malformedChange(String why) {
        malformed.increment();
        LOG.warning(() -> "Ignoring a malformed gallery change message (" + malformed.sum() + " so far): " + why);
    }

    /**
     * What this node heard from the others.
     *
     * @param nodeId the id this node stamps on the changes it publishes
     * @param remoteChanges changes of other nodes applied
     * @param remoteTemplates templates they named
     * @param ownIgnored this node's own messages, not applied again
     * @param malformed messages that were not a well-formed change
     */
    public record SyncStats(String nodeId, long remoteChanges, long remoteTemplates, long ownIgnored, long malformed) {
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public SyncStats syncStats() {
        return new SyncStats(ClusterNode.id(), remoteChanges.sum(), remoteTemplates.sum(), ownIgnored.sum(),
                malformed.sum());
    }

    /** The most similar template of the current model version (read only; for checks and tests). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Match> bestMatch(float[] vector) {
        return gallery.bestMatch(vector, modelVersion);
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

    /**
     * After the caller's transaction commits: {@code apply} to this node's gallery, then the change to the other
     * nodes. Nothing on rollback.
     */
    private void onCommit(GalleryChange.Reason reason, List<Long> templateIds, Runnable apply) {
        AfterCompletion.register(txRegistry, committed -> {
            if (committed) {
                applyLock.lock();
                try {
                    apply.run();
                } finally {
                    applyLock.unlock();
                }
                publish(reason, templateIds);
            }
        });
    }

    /** Fires the change for the other nodes; a failure there must not disturb this node's work. */
    private void publish(GalleryChange.Reason reason, List<Long> templateIds) {
        try {
            changes.fire(GalleryChange.of(reason, templateIds));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not hand a gallery change (" + reason + " " + templateIds
                    + ") to the other nodes; they see it at their next start", e);
        }
    }

}
