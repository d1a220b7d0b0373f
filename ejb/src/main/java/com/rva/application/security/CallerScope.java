package com.rva.application.security;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which stores a caller may see: all of them (ADMIN) or a fixed set (a REGIONAL_MANAGER the stores of its
 * regions, a STORE_MANAGER its own stores; both roles: the union). Made by {@link CallerScopeService} from the
 * authenticated principal and its rows in the database, never from anything the caller sends.
 */
public final class CallerScope implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String username;
    private final boolean allStores;
    /** store code -> store id, in code order; empty for ADMIN (who is not limited) */
    private final SortedMap<String, Long> stores;

    private CallerScope(String username, boolean allStores, Map<String, Long> stores) {
        this.username = Objects.requireNonNull(username, "username");
        this.allStores = allStores;
        this.stores = Collections.unmodifiableSortedMap(new TreeMap<>(stores));
    }

    /** An administrator: every store, present and future. */
    public static CallerScope everything(String username) {
        return new CallerScope(username, true, Map.of());
    }

    /** A manager limited to these stores (code to id); none means it sees nothing. */
    public static CallerScope stores(String username, Map<String, Long> storeIdsByCode) {
        return new CallerScope(username, false, storeIdsByCode);
    }

    public String username() {
        return username;
    }

    public boolean allStores() {
        return allStores;
    }

    /** The store codes of a limited scope (empty for {@link #allStores()}). */
    public SortedMap<String, Long> stores() {
        return stores;
    }

    public boolean permitsStore(String code) {
        return allStores || stores.containsKey(code);
    }

    public boolean permitsStoreId(long id) {
        return allStores || stores.containsValue(id);
    }

    /** A limited scope without any store: every read answers nothing. */
    public boolean isEmpty() {
        return !allStores && stores.isEmpty();
    }

    @Override
    public String toString() {
        return username + (allStores ? " (all stores)" : " " + stores.keySet());
    }
}
