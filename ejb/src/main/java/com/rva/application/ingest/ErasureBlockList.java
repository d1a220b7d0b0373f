package com.rva.application.ingest;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import com.rva.domain.ErasureBlock;
import com.rva.domain.FaceTemplate;
import com.rva.infrastructure.persistence.AfterCompletion;
import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.Match;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The templates of erased customers ({@code erasure_block}), kept in memory and searched before a crop is matched:
 * a crop as similar to a blocked template as the match threshold asks is the erased person and is not enrolled
 * again. The list is small (a few templates per erasure). An erasure on this node ({@link #changed}) is seen by the
 * next crop; one carried out by another node of a cluster within {@link #MAX_AGE_NANOS}: the row count is checked
 * at most that often (not once per crop) and the list reloaded when it moved.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ErasureBlockList {

    /** How long the list is trusted without asking the database whether its row count moved. */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private static final Logger LOG = Logger.getLogger(ErasureBlockList.class.getName());

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    private record Snapshot(long rows, String modelVersion, ExactScanGallery blocked, long checkedAt) {
    }

    private volatile Snapshot snapshot = new Snapshot(-1, "", new ExactScanGallery(), 0);

    /** Bumped by {@link #changed}: a snapshot read while it moved is not kept. */
    private final AtomicLong generation = new AtomicLong();

    /** Whether the embedding matches a blocked template of its model version at or above {@code threshold}. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean blocks(float[] vector, String modelVersion, double threshold) {
        Snapshot s = current(modelVersion);
        return s.blocked().bestMatch(vector, modelVersion).map(Match::similarity).filter(sim -> sim >= threshold)
                .isPresent();
    }

    /**
     * Blocks were added or removed in the caller's transaction: the list is read again by the next crop, and once
     * more after the transaction ends (a crop between the change and the commit must not keep the old list).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public void changed() {
        forget();
        AfterCompletion.always(txRegistry, this::forget);
    }

    private void forget() {
        generation.incrementAndGet();
        snapshot = new Snapshot(-1, "", new ExactScanGallery(), 0);
    }

    private Snapshot current(String modelVersion) {
        long now = System.nanoTime();
        Snapshot s = snapshot;
        if (s.rows() >= 0 && s.modelVersion().equals(modelVersion) && now - s.checkedAt() < MAX_AGE_NANOS) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s.rows() >= 0 && s.modelVersion().equals(modelVersion) && now - s.checkedAt() < MAX_AGE_NANOS) {
                return s;
            }
            long before = generation.get();
            long rows = em.createNamedQuery(ErasureBlock.COUNT, Long.class).getSingleResult();
            Snapshot fresh;
            if (s.rows() == rows && s.modelVersion().equals(modelVersion)) {
                fresh = new Snapshot(rows, modelVersion, s.blocked(), now);
            } else {
                ExactScanGallery blocked = new ExactScanGallery();
                List<Object[]> list = em.createNamedQuery(ErasureBlock.BY_MODEL_VERSION, Object[].class)
                        .setParameter("modelVersion", modelVersion).getResultList();
                for (Object[] row : list) {
                    // no customer behind a block: 0 stands for "erased"
                    blocked.add(0L, (Long) row[0], FaceTemplate.decode((byte[]) row[1]), modelVersion);
                }
                LOG.info(() -> "Erasure block list: " + list.size() + " template(s) of model " + modelVersion);
                fresh = new Snapshot(rows, modelVersion, blocked, now);
            }
            if (generation.get() == before) {
                snapshot = fresh;
            }
            return fresh;
        }
    }
}
