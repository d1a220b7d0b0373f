package com.rva.application.ingest;

import java.util.List;
import java.util.logging.Logger;

import com.rva.domain.ErasureBlock;
import com.rva.domain.FaceTemplate;
import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.Match;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The templates of erased customers ({@code erasure_block}), kept in memory and searched before a crop is matched:
 * a crop as similar to a blocked template as the match threshold asks is the erased person and is not enrolled
 * again. The list is small (a few templates per erasure); it is reloaded whenever its row count in the database
 * changed, so an erasure carried out by any node of a cluster is seen by the next crop on every node.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ErasureBlockList {

    private static final Logger LOG = Logger.getLogger(ErasureBlockList.class.getName());

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    private record Snapshot(long rows, String modelVersion, ExactScanGallery blocked) {
    }

    private volatile Snapshot snapshot = new Snapshot(-1, "", new ExactScanGallery());

    /** Whether the embedding matches a blocked template of its model version at or above {@code threshold}. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean blocks(float[] vector, String modelVersion, double threshold) {
        Snapshot s = current(modelVersion);
        return s.blocked().bestMatch(vector, modelVersion).map(Match::similarity).filter(sim -> sim >= threshold)
                .isPresent();
    }

    private Snapshot current(String modelVersion) {
        long rows = em.createNamedQuery(ErasureBlock.COUNT, Long.class).getSingleResult();
        Snapshot s = snapshot;
        if (s.rows() == rows && s.modelVersion().equals(modelVersion)) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s.rows() == rows && s.modelVersion().equals(modelVersion)) {
                return s;
            }
            ExactScanGallery blocked = new ExactScanGallery();
            List<Object[]> list = em.createNamedQuery(ErasureBlock.BY_MODEL_VERSION, Object[].class)
                    .setParameter("modelVersion", modelVersion).getResultList();
            for (Object[] row : list) {
                // no customer behind a block: 0 stands for "erased"
                blocked.add(0L, (Long) row[0], FaceTemplate.decode((byte[]) row[1]), modelVersion);
            }
            LOG.info(() -> "Erasure block list: " + list.size() + " template(s) of model " + modelVersion);
            snapshot = new Snapshot(rows, modelVersion, blocked);
            return snapshot;
        }
    }
}
