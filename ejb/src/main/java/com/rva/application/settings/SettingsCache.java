package com.rva.application.settings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

/**
 * The settings as last read, so that every crop does not read {@code app_setting} again (a setting left at its
 * default has no row: each read was a query). A change through {@link SettingsService#set} drops the cached value
 * at once and again when its transaction ends (a rolled-back change is not kept); a change made by another node of
 * a cluster is seen within {@link #MAX_AGE_NANOS}. A value read while a change was under way is not cached (the
 * generation moved on), so no stale value outlives the change.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SettingsCache {

    /** How long a cached value is trusted: the delay before a change made on another node applies here. */
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private record Entry(String value, long readAt) {
    }

    private final Map<Setting, Entry> values = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public String get(Setting setting, Supplier<String> read) {
        long now = System.nanoTime();
        Entry e = values.get(setting);
        if (e != null && now - e.readAt() < MAX_AGE_NANOS) {
            return e.value();
        }
        long before = generation.get();
        String value = read.get();
        if (generation.get() == before) {
            values.put(setting, new Entry(value, now));
            if (generation.get() != before) {
                values.remove(setting);
            }
        }
        return value;
    }

    /**
     * The values of several settings in one call (each call through this bean's proxy costs as much as the look-up:
     * the ingest asks for its settings once per crop), each as {@link #get(Setting, Supplier)} would give it.
     */
    public String[] getAll(Setting[] settings, Function<Setting, String> read) {
        String[] values = new String[settings.length];
        for (int i = 0; i < settings.length; i++) {
            Setting setting = settings[i];
            values[i] = get(setting, () -> read.apply(setting));
        }
        return values;
    }

    public void invalidate() {
        generation.incrementAndGet();
        values.clear();
    }
}
