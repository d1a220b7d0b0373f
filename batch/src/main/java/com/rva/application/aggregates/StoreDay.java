package com.rva.application.aggregates;

import java.time.LocalDate;
import java.util.Objects;

/** One store-local day of one store: the unit of work of {@code daily-aggregates}. */
public record StoreDay(StoreRef store, LocalDate day) implements Comparable<StoreDay> {

    public StoreDay {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(day, "day");
    }

    /** The checkpoint form, {@code storeId/day}. */
    public String key() {
        return store.id() + "/" + day;
    }

    /** Whether this item comes after the one whose {@link #key()} is given (items go by store id, then day). */
    public boolean isAfter(String key) {
        int slash = key.indexOf('/');
        long storeId = Long.parseLong(key.substring(0, slash));
        LocalDate d = LocalDate.parse(key.substring(slash + 1));
        return store.id() > storeId || store.id() == storeId && day.isAfter(d);
    }

    @Override
    public int compareTo(StoreDay o) {
        int c = Long.compare(store.id(), o.store.id());
        return c != 0 ? c : day.compareTo(o.day);
    }

    @Override
    public String toString() {
        return store.code() + " " + day;
    }
}
