package com.rva.application.ingest;

import java.util.List;
import java.util.Optional;

import com.rva.domain.Camera;
import com.rva.domain.CollectorAccount;
import com.rva.domain.Store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Looks up the stores and cameras collectors name by code. */
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

    public Optional<Camera> camera(String storeCode, String cameraCode) {
        Object key = key(storeCode, cameraCode);
        if (key != null && txRegistry.getResource(key) instanceof Camera known) {
            // found by status() in this transaction (a crop is validated, then ingested)
            return Optional.of(known);
        }
        return store(storeCode).flatMap(store -> find(store, cameraCode));
    }

    public Status status(String storeCode, String cameraCode) {
        Optional<Store> store = store(storeCode);
        if (store.isEmpty()) {
            return Status.UNKNOWN_STORE;
        }
        Optional<Camera> camera = find(store.get(), cameraCode);
        Object key = key(storeCode, cameraCode);
        if (camera.isPresent() && key != null) {
            txRegistry.putResource(key, camera.get());
        }
        return camera.isPresent() ? Status.KNOWN : Status.UNKNOWN_CAMERA;
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
        CollectorAccount account = em.find(CollectorAccount.class, username);
        return account == null ? Optional.empty() : Optional.of(account.getStore().getCode());
    }

    private Optional<Store> store(String storeCode) {
        // a deactivated store is as unknown to ingest as one never registered
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", storeCode).getResultStream()
                .filter(Store::isActive).findFirst();
    }
}
