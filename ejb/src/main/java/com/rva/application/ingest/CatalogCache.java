package com.rva.application.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.rva.infrastructure.persistence.AfterCompletion;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * What every crop asks of the catalogue — is this camera of this active store registered, which store does this
 * collector user send for — as last found in the database, so that a crop is validated without a query. Only what
 * was found is kept (a camera registered a moment ago is looked up, never refused from memory). A change through the
 * admin services ({@link #invalidate}) applies here at once and again when its transaction ends; one made on another
 * node of a cluster, within {@link #MAX_AGE_NANOS} (as settings, {@code SettingsCache}).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CatalogCache {

    /** How long an entry is trusted: the delay before a change made on another node applies here. */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private record Entry<T>(T value, long readAt) {
    }

    private final Map<List<String>, Entry<CameraDirectory.CameraIds>> cameras = new ConcurrentHashMap<>();
    private final Map<String, Entry<String>> senders = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    @Resource
    private TransactionSynchronizationRegistry txRegistry;

    /** The ids of the camera {@code cameraCode} of the active store {@code storeCode} and of that store, or {@code read}'s answer. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<CameraDirectory.CameraIds> cameraIds(String storeCode, String cameraCode,
            Supplier<Optional<CameraDirectory.CameraIds>> read) {
        return get(cameras, List.of(storeCode, cameraCode), read);
    }

    /** The store code a collector user sends for, or {@code read}'s answer. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<String> storeOfCollector(String username, Supplier<Optional<String>> read) {
        return get(senders, username, read);
    }

    /** Stores, cameras or collector accounts changed in the caller's transaction (if any). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public void invalidate() {
        forget();
        AfterCompletion.always(txRegistry, this::forget);
    }

    private void forget() {
        generation.incrementAndGet();
        cameras.clear();
        senders.clear();
    }

    private <K, T> Optional<T> get(Map<K, Entry<T>> map, K key, Supplier<Optional<T>> read) {
        long now = System.nanoTime();
        Entry<T> e = map.get(key);
        if (e != null && now - e.readAt() < MAX_AGE_NANOS) {
            return Optional.of(e.value());
        }
        long before = generation.get();
        Optional<T> found = read.get();
        if (found.isPresent() && generation.get() == before) {
            map.put(key, new Entry<>(found.get(), now));
            if (generation.get() != before) {
                map.remove(key);
            }
        } else if (found.isEmpty()) {
            map.remove(key);
        }
        return found;
    }
}
