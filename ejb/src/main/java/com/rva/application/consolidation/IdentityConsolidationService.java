package com.rva.application.consolidation;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import com.rva.application.ingest.EmbedderProvider;
import com.rva.application.ingest.GalleryIndex;
import com.rva.application.ingest.VisitService;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.domain.Customer;
import com.rva.domain.CustomerMerge;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Store;
import com.rva.recognition.Consolidation;
import com.rva.recognition.MergeRule;
import com.rva.recognition.TemplateSet;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

/**
 * Identity consolidation: finds customers that are one person ({@link Consolidation} over the templates of the
 * current model version, {@link MergeRule} from the settings) and merges them — sightings and templates move
 * to the first-enrolled customer, the visits of both are rebuilt from their sightings, an audit row lists what
 * moved — or undoes a merge exactly. The in-memory gallery follows when a transaction commits, and the other cluster
 * nodes' galleries follow through the topic {@code rva.gallery} ({@link GalleryIndex}).
 */
@Stateless
public class IdentityConsolidationService {

    private static final Logger LOG = Logger.getLogger(IdentityConsolidationService.class.getName());
    private static final String SIGHTING = "S";
    private static final String TEMPLATE = "T";

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private SettingsService settings;

    @EJB
    private EmbedderProvider embedders;

    @EJB
    private GalleryIndex gallery;

    @EJB
    private VisitService visits;

    /** The merge rule of the current settings. */
    public MergeRule mergeRule() {
        return new MergeRule(settings.getDouble(Setting.MATCH_THRESHOLD), settings.getDouble(Setting.MERGE_FLOOR));
    }

    /** The merges consolidation would make now, in order (read only). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<Consolidation.Merge> plan() {
        String modelVersion = embedders.embedder().modelVersion();
        Map<Long, List<float[]>> byCustomer = new LinkedHashMap<>();
        for (Object[] row : em.createQuery("SELECT t.customer.id, t.embedding FROM FaceTemplate t"
                + " WHERE t.modelVersion = :modelVersion ORDER BY t.customer.id, t.id", Object[].class)
                .setParameter("modelVersion", modelVersion).getResultList()) {
            byCustomer.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add(FaceTemplate.decode((byte[]) row[1]));
        }
        List<TemplateSet> sets = new ArrayList<>();
        byCustomer.forEach((customer, vectors) -> sets.add(new TemplateSet(customer, vectors)));
        long start = System.nanoTime();
        // customers whose merge an admin undid are two people: never merged again
        Set<Set<Long>> keepApart = new HashSet<>();
        for (Object[] r : em.createQuery("SELECT m.survivorId, m.absorbedId FROM CustomerMerge m WHERE m.undoneAt IS NOT NULL",
                Object[].class).getResultList()) {
            keepApart.add(Set.of((Long) r[0], (Long) r[1]));
        }
        List<Consolidation.Merge> merges = Consolidation.plan(sets, mergeRule(), keepApart);
        LOG.info(() -> String.format("Consolidation plan: %d customers with templates of %s, %d merge(s), %d ms",
                sets.size(), modelVersion, merges.size(), (System.nanoTime() - start) / 1_000_000));
        return merges;
    }

    /** One merge audit row, or empty. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<CustomerMerge> findMerge(long mergeId) {
        return Optional.ofNullable(em.find(CustomerMerge.class, mergeId));
    }

    /** Merge audit rows, newest first, a page at a time. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<CustomerMerge> merges(int first, int max) {
        return em.createNamedQuery(CustomerMerge.RECENT, CustomerMerge.class).setFirstResult(first)
                .setMaxResults(max).getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long countMerges() {
        return em.createQuery("SELECT COUNT(m) FROM CustomerMerge m", Long.class).getSingleResult();
    }

    /**
     * Merges {@code absorbedId} into {@code survivorId} in a transaction of its own (one merge failing does not
     * undo the others).
     *
     * @throws IllegalArgumentException when a customer does not exist or both are the same
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public MergeResult merge(long survivorId, long absorbedId, double similarity, double threshold, Long jobExecutionId) {
        if (survivorId == absorbedId) {
            throw new IllegalArgumentException("Cannot merge customer " + survivorId + " into itself");
        }
        Customer survivor = lock(survivorId);
        Customer absorbed = lock(absorbedId);
        CustomerMerge merge = new CustomerMerge(survivor.getId(), absorbed.getId(), (float) similarity, (float) threshold,
                LocalDateTime.now(ZoneOffset.UTC), jobExecutionId);
        em.persist(merge);
        em.flush();
        long mergeId = merge.getId();
        List<MergeResult.StoreSpan> spans = spans(absorbedId, null);
        List<Object[]> movedTemplates = templates(absorbedId, null);
        int s = recordItems(mergeId, SIGHTING, "sighting", absorbedId);
        int t = recordItems(mergeId, TEMPLATE, "face_template", absorbedId);
        move("sighting", absorbedId, survivorId, null);
        move("face_template", absorbedId, survivorId, null);
        em.clear();
        rebuildVisits(spans, survivorId, absorbedId);
        followInGallery(movedTemplates, survivorId);
        LOG.info(() -> String.format("Merged customer %d into %d (average similarity %.3f, needed %.3f): %d sightings,"
                + " %d templates, %d store(s); audit row %d", absorbedId, survivorId, similarity, threshold, s, t,
                spans.size(), mergeId));
        return new MergeResult(mergeId, survivorId, absorbedId, s, t, spans);
    }

    /**
     * Undoes a merge: what it moved goes back to the absorbed customer, visits of both are rebuilt.
     *
     * @throws IllegalArgumentException when there is no such merge
     * @throws IllegalStateException when it was undone already, or a later merge moved its sightings on (undo that
     *         one first)
     */
    public MergeResult undo(long mergeId) {
        CustomerMerge merge = em.find(CustomerMerge.class, mergeId, LockModeType.PESSIMISTIC_WRITE);
        if (merge == null) {
            throw new IllegalArgumentException("No customer merge " + mergeId);
        }
        if (merge.getUndoneAt() != null) {
            throw new IllegalStateException("Customer merge " + mergeId + " was undone at " + merge.getUndoneAt());
        }
        long survivorId = merge.getSurvivorId();
        long absorbedId = merge.getAbsorbedId();
        lock(survivorId);
        lock(absorbedId);
        int s = itemCount(mergeId, SIGHTING);
        int t = itemCount(mergeId, TEMPLATE);
        List<MergeResult.StoreSpan> spans = spans(survivorId, mergeId);
        List<Object[]> movedTemplates = templates(survivorId, mergeId);
        int sBack = move("sighting", survivorId, absorbedId, mergeId);
        int tBack = move("face_template", survivorId, absorbedId, mergeId);
        int sGone = countGone("sighting", mergeId, SIGHTING);
        int tGone = countGone("face_template", mergeId, TEMPLATE);
        if (sBack + sGone != s || tBack + tGone != t) {
            throw new IllegalStateException("Customer merge " + mergeId + " cannot be undone: a later merge moved "
                    + (s - sBack - sGone) + " of its sightings and " + (t - tBack - tGone)
                    + " of its templates away from customer " + survivorId + "; undo that merge first");
        }
        merge.undone(LocalDateTime.now(ZoneOffset.UTC));
        em.flush();
        em.clear();
        rebuildVisits(spans, survivorId, absorbedId);
        followInGallery(movedTemplates, absorbedId);
        LOG.info(() -> String.format("Undid customer merge %d: %d sightings and %d templates back to customer %d"
                + " (%d sightings, %d templates deleted since)", mergeId, sBack, tBack, absorbedId, sGone, tGone));
        return new MergeResult(mergeId, survivorId, absorbedId, sBack, tBack, spans);
    }

    private Customer lock(long customerId) {
        Customer c = em.find(Customer.class, customerId, LockModeType.PESSIMISTIC_WRITE);
        if (c == null) {
            throw new IllegalArgumentException("No customer " + customerId);
        }
        return c;
    }

    private int recordItems(long mergeId, String type, String table, long customerId) {
        return em.createNativeQuery("INSERT INTO customer_merge_item (merge_id, item_type, item_id) SELECT ?1, ?2, id"
                + " FROM " + table + " WHERE customer_id = ?3").setParameter(1, mergeId).setParameter(2, type)
                .setParameter(3, customerId).executeUpdate();
    }

    private int itemCount(long mergeId, String type) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM customer_merge_item WHERE merge_id = ?1 AND item_type = ?2")
                .setParameter(1, mergeId).setParameter(2, type).getSingleResult()).intValue();
    }

    /** Items of a merge that no longer exist (retention or erasure deleted them). */
    private int countGone(String table, long mergeId, String type) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM customer_merge_item i WHERE i.merge_id = ?1"
                + " AND i.item_type = ?2 AND NOT EXISTS (SELECT 1 FROM " + table + " x WHERE x.id = i.item_id)")
                .setParameter(1, mergeId).setParameter(2, type).getSingleResult()).intValue();
    }

    /** Moves rows of {@code table} from one customer to another: all of them, or only the items of a merge. */
    private int move(String table, long from, long to, Long onlyItemsOfMerge) {
        String type = table.equals("sighting") ? SIGHTING : TEMPLATE;
        Query q = em.createNativeQuery("UPDATE " + table + " SET customer_id = ?1 WHERE customer_id = ?2"
                + (onlyItemsOfMerge == null ? "" : " AND id IN (SELECT item_id FROM customer_merge_item"
                        + " WHERE merge_id = ?3 AND item_type = '" + type + "')"))
                .setParameter(1, to).setParameter(2, from);
        if (onlyItemsOfMerge != null) {
            q.setParameter(3, onlyItemsOfMerge);
        }
        return q.executeUpdate();
    }

    /** (id, embedding, model version) of a customer's templates: all, or the items of a merge. */
    @SuppressWarnings("unchecked")
    private List<Object[]> templates(long customerId, Long onlyItemsOfMerge) {
        Query q = em.createNativeQuery("SELECT id, embedding, model_version FROM face_template WHERE customer_id = ?1"
                + (onlyItemsOfMerge == null ? "" : " AND id IN (SELECT item_id FROM customer_merge_item"
                        + " WHERE merge_id = ?2 AND item_type = 'T')"))
                .setParameter(1, customerId);
        if (onlyItemsOfMerge != null) {
            q.setParameter(2, onlyItemsOfMerge);
        }
        return q.getResultList();
    }

    /** Per store, the capture-time span of a customer's sightings (all, or the items of a merge). */
    @SuppressWarnings("unchecked")
    private List<MergeResult.StoreSpan> spans(long customerId, Long onlyItemsOfMerge) {
        Query q = em.createNativeQuery("SELECT store_id, MIN(captured_at), MAX(captured_at) FROM sighting"
                + " WHERE customer_id = ?1" + (onlyItemsOfMerge == null ? "" : " AND id IN (SELECT item_id FROM"
                        + " customer_merge_item WHERE merge_id = ?2 AND item_type = 'S')") + " GROUP BY store_id")
                .setParameter(1, customerId);
        if (onlyItemsOfMerge != null) {
            q.setParameter(2, onlyItemsOfMerge);
        }
        List<Object[]> rows = q.getResultList();
        List<MergeResult.StoreSpan> spans = new ArrayList<>();
        for (Object[] r : rows) {
            spans.add(new MergeResult.StoreSpan(((Number) r[0]).longValue(), time(r[1]), time(r[2])));
        }
        return spans;
    }

    private static LocalDateTime time(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
    }

    private void rebuildVisits(List<MergeResult.StoreSpan> spans, long survivorId, long absorbedId) {
        Customer survivor = em.find(Customer.class, survivorId);
        Customer absorbed = em.find(Customer.class, absorbedId);
        for (MergeResult.StoreSpan span : spans) {
            visits.rebuild(em.find(Store.class, span.storeId()), List.of(survivor, absorbed));
        }
        em.flush();
    }

    private void followInGallery(List<Object[]> movedTemplates, long toCustomer) {
        String current = embedders.embedder().modelVersion();
        for (Object[] row : movedTemplates) {
            String modelVersion = (String) row[2];
            if (current.equals(modelVersion)) {
                gallery.templateMoved(((Number) row[0]).longValue(), toCustomer, FaceTemplate.decode((byte[]) row[1]),
                        modelVersion);
            }
        }
    }
}
