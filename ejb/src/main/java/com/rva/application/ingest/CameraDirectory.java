package com.rva.application.ingest;

import java.util.Optional;

import com.rva.domain.Camera;
import com.rva.domain.CollectorAccount;
import com.rva.domain.Store;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Looks up the stores and cameras collectors name by code. */
@Stateless
public class CameraDirectory {

    /** Whether a store/camera pair is registered. */
    public enum Status {
        KNOWN, UNKNOWN_STORE, UNKNOWN_CAMERA
    }

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    public Optional<Camera> camera(String storeCode, String cameraCode) {
        return store(storeCode).flatMap(store -> em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class)
                .setParameter("store", store).setParameter("code", cameraCode).getResultStream().findFirst());
    }

    public Status status(String storeCode, String cameraCode) {
        Optional<Store> store = store(storeCode);
        if (store.isEmpty()) {
            return Status.UNKNOWN_STORE;
        }
        boolean known = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store.get())
                .setParameter("code", cameraCode).getResultStream().findFirst().isPresent();
        return known ? Status.KNOWN : Status.UNKNOWN_CAMERA;
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
