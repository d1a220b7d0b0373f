package com.rva.infrastructure.retention;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.rva.application.ingest.ErasureBlockList;
import com.rva.application.ingest.GalleryChange;
import com.rva.application.ingest.GalleryIndex;
import com.rva.domain.ErasureBlock;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The deletes of retention-purge, each batch in a transaction of its own so a purge of millions of rows
 * never holds one long transaction, and a stopped or killed run keeps what it deleted.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class RetentionStore {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @jakarta.ejb.EJB
    GalleryIndex gallery;

    @jakarta.ejb.EJB
    ErasureBlockList erasureBlocks;

    /** A BLOB/BYTEA/VARBINARY column as the driver returns it. */
    private static byte[] bytes(Object column) {
        if (column instanceof byte[] b) {
            return b;
        }
        if (column instanceof java.sql.Blob blob) {
            try {
                return blob.getBytes(1, Math.toIntExact(blob.length()));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Cannot read a template", e);
            }
        }
        throw new IllegalStateException("A template embedding came back as " + column.getClass().getName());
    }

    /** Counts of one erasure. */
    public record Erased(long sightings, long visits, long templates) {
    }

    /** Deletes up to {@code batch} sightings captured before the cutoff; returns how many. */
    public int deleteSightings(LocalDateTime capturedBeforeUtc, int batch) {
        return em.createNativeQuery("DELETE FROM sighting WHERE id IN (SELECT id FROM sighting WHERE captured_at < ?1"
                + " FETCH FIRST " + batch + " ROWS ONLY)").setParameter(1, capturedBeforeUtc).executeUpdate();
    }

    /** Deletes up to {@code batch} visits that ended before the cutoff, with their sightings; returns how many visits. */
    public int deleteVisits(LocalDateTime endedBeforeUtc, int batch) {
        // the portal's per-UTC-day figures of those days would still count them: gone, the portal counts such days
        // from the visits left (PortalDaysSql)
        if (em.createNativeQuery("DELETE FROM portal_store_day WHERE utc_day <= ?1")
                .setParameter(1, endedBeforeUtc.toLocalDate()).executeUpdate() > 0) {
            try {
                com.rva.application.aggregates.PortalDaysSql.changed(em.unwrap(java.sql.Connection.class));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("portal days after the retention purge: " + e.getMessage(), e);
            }
        }
        em.createNativeQuery("DELETE FROM sighting WHERE visit_id IN (SELECT id FROM visit WHERE ended_at < ?1"
                + " FETCH FIRST " + batch + " ROWS ONLY)").setParameter(1, endedBeforeUtc).executeUpdate();
        return em.createNativeQuery("DELETE FROM visit WHERE id IN (SELECT id FROM visit WHERE ended_at < ?1"
                + " FETCH FIRST " + batch + " ROWS ONLY)").setParameter(1, endedBeforeUtc).executeUpdate();
    }

    /**
     * Deletes up to {@code batch} templates made before the cutoff whose customer has no visit ending after
     * it (not seen since); returns how many. The gallery of this node drops them when the batch commits, and the
     * other nodes' galleries follow (docs/recognition.md, "Cluster").
     */
    public int deleteTemplates(LocalDateTime unseenSinceUtc, int batch) {
        @SuppressWarnings("unchecked")
        List<Object> found = em.createNativeQuery("SELECT t.id FROM face_template t WHERE t.created_at < ?1"
                + " AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.customer_id = t.customer_id AND v.ended_at >= ?1)"
                + " FETCH FIRST " + batch + " ROWS ONLY").setParameter(1, unseenSinceUtc).getResultList();
        List<Long> ids = found.stream().map(o -> ((Number) o).longValue()).toList();
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += 1000) { // Oracle takes at most 1,000 values in an IN list
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            // the ids are numbers read above, so writing them into the statement is safe
            deleted += em.createNativeQuery("DELETE FROM face_template WHERE id IN (" + chunk.stream()
                    .map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + ")").executeUpdate();
        }
        gallery.templatesDeleted(ids, GalleryChange.Reason.PURGED);
        return deleted;
    }

    /** Ids of the pending erasure requests, oldest first. */
    public List<Long> pendingErasures() {
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("SELECT id FROM erasure_request WHERE status = 'PENDING'"
                + " ORDER BY requested_at, id").getResultList();
        return ids.stream().map(o -> ((Number) o).longValue()).toList();
    }

    /**
     * An erased customer's customer-days ({@code ?1}: its id). Their key leads with the store ({@code V17_1}: what the
     * job's chunks need), so the customer's id alone reaches no index and PostgreSQL scanned the whole table (about a
     * row per visit: 20M rows at the scale) per erased customer. With its stores — every store, and the stores
     * of its appearances to date (which the job re-sums from these rows, so it also names a store no longer in
     * {@code store}) — the key serves the delete: one index descent per store. No extra index for the job to keep up.
     */
    public static final String DELETE_CUSTOMER_DAYS = "DELETE FROM customer_store_day_aggregate WHERE customer_id = ?1"
            + " AND store_id IN (SELECT id FROM store UNION SELECT store_id FROM customer_store_aggregate"
            + " WHERE customer_id = ?1)";

    /**
     * Carries out one erasure request: the customer and everything recorded about it go (templates,
     * sightings, visits, per-customer aggregates cascade), the request is DONE. One transaction.
     */
    public Erased erase(long requestId, long executionId) {
        Object customer = em.createNativeQuery("SELECT customer_id FROM erasure_request WHERE id = ?1 AND status = 'PENDING'")
                .setParameter(1, requestId).getResultList().stream().findFirst().orElse(null);
        if (customer == null) {
            return new Erased(0, 0, 0); // done meanwhile
        }
        long id = ((Number) customer).longValue();
        Erased erased = new Erased(count("sighting", id), count("visit", id), count("face_template", id));
        // the face must not be enrolled again: its templates go to the block list, without anything that would
        // say whose they were or when (docs/privacy.md); the running gallery drops them on commit
        @SuppressWarnings("unchecked")
        List<Object[]> templates = em.createNativeQuery("SELECT id, model_version, embedding FROM face_template"
                + " WHERE customer_id = ?1").setParameter(1, id).getResultList();
        for (Object[] t : templates) {
            em.persist(new ErasureBlock((String) t[1], bytes(t[2])));
        }
        if (!templates.isEmpty()) {
            erasureBlocks.changed(); // the next crop on this node is checked against them
        }
        gallery.templatesDeleted(templates.stream().map(t -> ((Number) t[0]).longValue()).toList(),
                GalleryChange.Reason.ERASED);
        // the store-days (UTC) of its visits: the portal's figures of them are rewritten without it below
        @SuppressWarnings("unchecked")
        List<Object[]> visitDays = em.createNativeQuery("SELECT store_id, started_at FROM visit WHERE customer_id = ?1")
                .setParameter(1, id).getResultList();
        em.createNativeQuery("DELETE FROM sighting WHERE customer_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM visit WHERE customer_id = ?1").setParameter(1, id).executeUpdate();
        refreshPortalDays(visitDays);
        // the per-customer aggregates have no foreign key on PostgreSQL (V17_1): deleted here, on every database
        em.createNativeQuery(DELETE_CUSTOMER_DAYS).setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM customer_store_aggregate WHERE customer_id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("DELETE FROM customer WHERE id = ?1").setParameter(1, id).executeUpdate();
        em.createNativeQuery("UPDATE erasure_request SET status = 'DONE', done_at = ?1, done_by_execution = ?2"
                + " WHERE id = ?3").setParameter(1, LocalDateTime.now(ZoneOffset.UTC)).setParameter(2, executionId)
                .setParameter(3, requestId).executeUpdate();
        return erased;
    }

    private void refreshPortalDays(List<Object[]> storeAndStart) {
        java.util.Set<java.util.Map.Entry<Long, java.time.LocalDate>> storeDays = new java.util.HashSet<>();
        for (Object[] r : storeAndStart) {
            LocalDateTime started = r[1] instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (LocalDateTime) r[1];
            storeDays.add(java.util.Map.entry(((Number) r[0]).longValue(), started.toLocalDate()));
        }
        if (storeDays.isEmpty()) {
            return;
        }
        em.flush();
        java.sql.Connection c = em.unwrap(java.sql.Connection.class);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try {
            for (var sd : storeDays) {
                // only days the portal had figures for: a day without a row is counted from the visits anyway
                try (java.sql.PreparedStatement q = c.prepareStatement(
                        "SELECT COUNT(*) FROM portal_store_day WHERE store_id = ? AND utc_day = ?")) {
                    q.setLong(1, sd.getKey());
                    q.setObject(2, sd.getValue());
                    try (java.sql.ResultSet rs = q.executeQuery()) {
                        if (rs.next() && rs.getLong(1) > 0) {
                            com.rva.application.aggregates.PortalDaysSql.refresh(c, sd.getKey(), sd.getValue(),
                                    sd.getValue(), now);
                        }
                    }
                }
            }
            com.rva.application.aggregates.PortalDaysSql.changed(c);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("portal days after an erasure: " + e.getMessage(), e);
        }
    }

    /** Files an erasure request (the API and the portal's admin page use this). */
    public long requestErasure(long customerId, String requestedBy, String reason) {
        long id = nextId();
        em.createNativeQuery("INSERT INTO erasure_request (id, customer_id, requested_at, requested_by, reason, status)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING')").setParameter(1, id).setParameter(2, customerId)
                .setParameter(3, LocalDateTime.now(ZoneOffset.UTC)).setParameter(4, requestedBy)
                .setParameter(5, reason == null ? "" : reason).executeUpdate();
        return id;
    }

    /** Writes the audit row of one run. */
    public void audit(long executionId, LocalDateTime startedAt, LocalDateTime sightingsBefore,
            LocalDateTime visitsBefore, LocalDateTime templatesBefore, long sightings, long visits, long templates,
            long customersErased) {
        long id = nextId();
        em.createNativeQuery("INSERT INTO retention_purge_run (id, job_execution_id, started_at, finished_at,"
                + " sightings_before, visits_before, templates_before, sightings_deleted, visits_deleted,"
                + " templates_deleted, customers_erased) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
                .setParameter(1, id).setParameter(2, executionId).setParameter(3, startedAt)
                .setParameter(4, LocalDateTime.now(ZoneOffset.UTC)).setParameter(5, sightingsBefore)
                .setParameter(6, visitsBefore).setParameter(7, templatesBefore).setParameter(8, sightings)
                .setParameter(9, visits).setParameter(10, templates).setParameter(11, customersErased).executeUpdate();
    }

    /** A new id from rva_id_seq, in the database's own syntax. */
    private long nextId() {
        String product;
        try {
            product = em.unwrap(java.sql.Connection.class).getMetaData().getDatabaseProductName().toLowerCase();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        String sql = product.contains("postgres") ? "SELECT nextval('rva_id_seq')"
                : product.contains("oracle") ? "SELECT rva_id_seq.NEXTVAL FROM dual" : "SELECT NEXT VALUE FOR rva_id_seq";
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    private long count(String table, long customerId) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table + " WHERE customer_id = ?1")
                .setParameter(1, customerId).getSingleResult()).longValue();
    }
}
