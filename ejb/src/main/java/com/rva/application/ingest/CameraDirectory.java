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
 * answers from the {@link CatalogCache} when it can; the ingest then reads the camera, its store and region in one
 * statement by id.
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

    public Optional<Camera> camera(String storeCode, String cameraCode) {
        Object key = key(storeCode, cameraCode);
        Object known = key == null ? null : txRegistry.getResource(key);
        if (known instanceof Camera camera) {
            // found by status() in this transaction (a crop is validated, then ingested)
            return Optional.of(camera);
        }
        if (known instanceof Long id) {
            // status() answered from the cache: the camera by id (gone or its store deactivated meanwhile: by codes)
            Optional<Camera> camera = em.createNamedQuery(Camera.BY_ID_WITH_STORE, Camera.class).setParameter("id", id)
                    .setHint("eclipselink.join-fetch", "c.store").setHint("eclipselink.join-fetch", "c.store.region")
                    .getResultStream().findFirst();
            if (camera.isPresent() && camera.get().getStore().isActive() && camera.get().getCode().equals(cameraCode)
                    && camera.get().getStore().getCode().equals(storeCode)) {
                return camera;
            }
        }
        return store(storeCode).flatMap(store -> find(store, cameraCode));
    }

    public Status status(String storeCode, String cameraCode) {
        Status[] status = {Status.KNOWN};
        Camera[] found = {null};
        Optional<Long> id = cache.cameraId(storeCode, cameraCode, () -> {
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
            found[0] = camera.get();
            return Optional.of(camera.get().getId());
        });
        Object key = key(storeCode, cameraCode);
        if (id.isPresent() && key != null) {
            txRegistry.putResource(key, found[0] != null ? found[0] : id.get());
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
