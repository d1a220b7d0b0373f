package com.rva.application.ingest;

import java.util.List;
import java.util.Optional;

import com.rva.domain.Camera;
import com.rva.domain.CollectorAccount;
import com.rva.domain.Store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Looks up the stores and cameras collectors name by code. Validation ({@link #status}, {@link #storeOfCollector})
 * answers from the {@link CatalogCache} when it can, and the ingest takes the camera's and store's ids from there
 * (a sighting row needs nothing else of them).
 */
@Stateless
public class CameraDirectory {

    /** Whether a store/camera pair is registered. */
    public enum Status {
        KNOWN, UNKNOWN_STORE, UNKNOWN_CAMERA
    }

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    @EJB
    private CatalogCache cache;

    /** The database ids of a registered camera and of its store: all a sighting row needs of them. */
    public record CameraIds(long cameraId, long storeId) {
    }

    /**
     * The ids of camera {@code cameraCode} of the active store {@code storeCode}: as {@link #status} found them in this
     * transaction (a crop is validated, then ingested), else read by codes.
     */
    public Optional<CameraIds> cameraIds(String storeCode, String cameraCode) {
        Object key = key(storeCode, cameraCode);
        if (key != null && txRegistry.getResource(key) instanceof CameraIds ids) {
            return Optional.of(ids);
        }
        return store(storeCode).flatMap(store -> find(store, cameraCode))
                .map(c -> new CameraIds(c.getId(), c.getStore().getId()));
    }

    public Status status(String storeCode, String cameraCode) {
        Status[] status = {Status.KNOWN};
        Optional<CameraIds> ids = cache.cameraIds(storeCode, cameraCode, () -> {
            Optional<Store> store = store(storeCode);
            if (store.isEmpty()) {
                status[0] = Status.UNKNOWN_STORE;
                return Optional.empty();
            }
            Optional<Camera> camera = find(store.get(), cameraCode);
            if (camera.isEmpty()) {
                status[0] = Status.UNKNOWN_CAMERA;
                return Optional.empty();
            }
            return Optional.of(new CameraIds(camera.get().getId(), store.get().getId()));
        });
        Object key = key(storeCode, cameraCode);
        if (ids.isPresent() && key != null) {
            txRegistry.putResource(key, ids.get());
        }
        return status[0];
    }

    private Optional<Camera> find(Store store, String cameraCode) {
        return em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", cameraCode).getResultStream().findFirst();
    }

    /** The key of a camera found in the current transaction, or null outside one. */
    private Object key(String storeCode, String cameraCode) {
        return txRegistry.getTransactionKey() == null ? null : List.of(CameraDirectory.class, storeCode, cameraCode);
    }

    /** The code of the store a collector user sends for, or empty when the user is no collector. */
    public Optional<String> storeOfCollector(String username) {
        return cache.storeOfCollector(username, () -> {
            CollectorAccount account = em.find(CollectorAccount.class, username);
            return account == null ? Optional.empty() : Optional.of(account.getStore().getCode());
        });
    }

    private Optional<Store> store(String storeCode) {
        // a deactivated store is as unknown to ingest as one never registered
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", storeCode).getResultStream()
                .filter(Store::isActive).findFirst();
    }
}
