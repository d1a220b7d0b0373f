package com.rva.application.analytics;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The portal's precomputed store-days ({@code portal_store_day}) kept in this server's memory between requests, so
 * a page reads one number from the database instead of its range's rows.
 * <p>
 * At 20M visits a chain-wide month is 30,000 rows (7.5 MB of customer sets); reading them took 90-150 ms of each
 * admin request on a quiet machine, and reading only their keys to check them cost PostgreSQL about as much (the
 * same 30,000 heap tuples), so rows are not checked one by one. Instead every writer of {@code portal_store_day}
 * moves {@code portal_days_version} in its transaction ({@code PortalDaysSql.changed}): a request reads that number
 * first, and when it is not the one the held days were read under, everything held is dropped. Days are held whole
 * (every store's row), so any scope is served from them; a day is read into the cache only under the number read
 * before it, so a write committed meanwhile makes the next request drop it. The database stays the source of
 * truth; every node of a cluster checks its own copy against it on every request.
 * <p>
 * Bounded by {@value #SIZE_PROPERTY} (MB of customer sets, default {@value #DEFAULT_MB}; 0 turns the cache off):
 * beyond it the days used least recently are dropped whole. At 20M visits all 367,000 rows of a year take 89.5 MB.
 * An application-scoped CDI bean, not an EJB (no interceptor chain per call); thread-safe.
 */
@ApplicationScoped
public class PortalDayCache {

    static final String SIZE_PROPERTY = "rva.portal.day-cache-mb";
    static final long DEFAULT_MB = 256;

    private static final Logger LOG = Logger.getLogger(PortalDayCache.class.getName());

    /** A store-day's row: when it was computed and its customer set ({@link CustomerDayCodec}). */
    public record Row(LocalDateTime computedAt, byte[] customerVisits) {
    }

    /** Every store's row of one UTC day, by store id; {@code lastUsed} under the cache's lock. */
    private static final class Day {
        final Map<Long, Row> stores;
        final long bytes;
        long lastUsed;

        Day(Map<Long, Row> stores, long bytes, long lastUsed) {
            this.stores = stores;
            this.bytes = bytes;
            this.lastUsed = lastUsed;
        }
    }

    private final Map<Long, Day> days = new HashMap<>();
    private final long budget;
    private long version = Long.MIN_VALUE;
    private long bytes;
    private long clock;

    public PortalDayCache() {
        this(budgetFromProperty());
    }

    PortalDayCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    private static long budgetFromProperty() {
        String value = System.getProperty(SIZE_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MB << 20;
        }
        try {
            long mb = Long.parseLong(value.trim());
            if (mb < 0 || mb > 1 << 20) {
                throw new NumberFormatException();
            }
            LOG.info(() -> "Portal day cache: " + mb + " MB (" + SIZE_PROPERTY + ")" + (mb == 0 ? ", off" : ""));
            return mb << 20;
        } catch (NumberFormatException e) {
            LOG.warning(() -> SIZE_PROPERTY + "='" + value + "' is not a number of MB from 0 to 1048576; using the default "
                    + DEFAULT_MB + " MB");
            return DEFAULT_MB << 20;
        }
    }

    /** Whether days are held at all ({@value #SIZE_PROPERTY} not 0). */
    public boolean enabled() {
        return budget > 0;
    }

    /**
     * The rows of the day read under {@code currentVersion} (every store's, by store id), or {@code null} when this
     * server does not hold it. A version other than the one held drops every day first.
     */
    public synchronized Map<Long, Row> day(long currentVersion, LocalDate day) {
        if (currentVersion != version) {
            days.clear();
            bytes = 0;
            version = currentVersion;
            return null;
        }
        Day d = days.get(day.toEpochDay());
        if (d == null) {
            return null;
        }
        d.lastUsed = ++clock;
        return d.stores;
    }

    /**
     * Holds a whole day (every store's row) read after {@code readVersion} was read; ignored when the version has
     * moved since (another request saw the change), then drops the days used least recently while over the budget.
     */
    public synchronized void put(long readVersion, LocalDate day, Map<Long, Row> stores) {
        if (budget <= 0 || readVersion != version) {
            return;
        }
        long size = 0;
        for (Row r : stores.values()) {
            size += r.customerVisits().length;
        }
        Day old = days.put(day.toEpochDay(), new Day(Map.copyOf(stores), size, ++clock));
        bytes += size - (old == null ? 0 : old.bytes);
        if (bytes > budget) {
            List<Map.Entry<Long, Day>> byUse = new ArrayList<>(days.entrySet());
            byUse.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
            for (Map.Entry<Long, Day> e : byUse) {
                if (bytes <= budget) {
                    break;
                }
                if (e.getKey() != day.toEpochDay()) {
                    days.remove(e.getKey());
                    bytes -= e.getValue().bytes;
                }
            }
        }
    }

    /** Bytes of customer sets held. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Days held. */
    public synchronized int dayCount() {
        return days.size();
    }
}
