package com.rva.application.aggregates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.rva.application.analytics.CustomerDayCodec;

/**
 * The portal's precomputed figures ({@code portal_store_day}, {@code V23_1}): per store and <em>UTC</em> day (the
 * portal's ranges are UTC days) the visits, sightings, distinct customers and the exact customer set with each
 * customer's visits and sightings ({@link CustomerDayCodec}). daily-aggregates rewrites the UTC days that overlap
 * the store-local days it (re)computes, in the same chunk transaction, so a late crop that makes a local day stale
 * also makes its UTC days be recomputed. {@code portal_store_watermark} records per store up to when the job has
 * looked for late crops; the portal treats a UTC day as stale when a sighting of it was received after both its
 * {@code computed_at} and that watermark, and counts such days (and days without a row) from the visits.
 * Every write is followed by {@link #changed} in the same transaction. Plain JDBC on the caller's connection and
 * transaction; every database (H2, PostgreSQL, Oracle).
 */
public final class PortalDaysSql {

    private PortalDaysSql() {
    }

    /** Rewrites the UTC days that overlap the store-local days {@code firstLocal} .. {@code lastLocal}. */
    public static int refreshLocalDays(Connection c, StoreRef store, LocalDate firstLocal, LocalDate lastLocal,
            LocalDateTime computedAtUtc) throws SQLException {
        LocalDate first = LocalDayWindow.of(firstLocal, store.zone()).fromUtc().toLocalDate();
        LocalDate last = LocalDayWindow.of(lastLocal, store.zone()).toUtc().minusNanos(1).toLocalDate();
        return refresh(c, store.id(), first, last, computedAtUtc);
    }

    /**
     * Rewrites the rows of one store's UTC days {@code first} .. {@code last} (a row for every day, also without
     * visits) from the visits that started on them.
     *
     * @return the rows written
     */
    public static int refresh(Connection c, long storeId, LocalDate first, LocalDate last, LocalDateTime computedAtUtc)
            throws SQLException {
        TreeMap<LocalDate, SortedMap<Long, long[]>> days = new TreeMap<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.put(d, new TreeMap<>());
        }
        try (PreparedStatement q = c.prepareStatement("SELECT customer_id, started_at, sighting_count FROM visit"
                + " WHERE store_id = ? AND started_at >= ? AND started_at < ?")) {
            q.setLong(1, storeId);
            q.setTimestamp(2, Timestamp.valueOf(first.atStartOfDay()));
            q.setTimestamp(3, Timestamp.valueOf(last.plusDays(1).atStartOfDay()));
            q.setFetchSize(5000);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getTimestamp(2).toLocalDateTime().toLocalDate();
                    long[] f = days.get(day).computeIfAbsent(rs.getLong(1), k -> new long[2]);
                    f[0]++;
                    f[1] += rs.getLong(3);
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM portal_store_day WHERE store_id = ? AND utc_day >= ? AND utc_day <= ?")) {
            del.setLong(1, storeId);
            del.setObject(2, first);
            del.setObject(3, last);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO portal_store_day (store_id, utc_day, visits,"
                + " sightings, customers, customer_visits, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Timestamp at = Timestamp.valueOf(computedAtUtc);
            for (Map.Entry<LocalDate, SortedMap<Long, long[]>> e : days.entrySet()) {
                long visits = 0;
                long sightings = 0;
                for (long[] f : e.getValue().values()) {
                    visits += f[0];
                    sightings += f[1];
                }
                ins.setLong(1, storeId);
                ins.setObject(2, e.getKey());
                ins.setLong(3, visits);
                ins.setLong(4, sightings);
                ins.setInt(5, e.getValue().size());
                ins.setBytes(6, CustomerDayCodec.encode(e.getValue()));
                ins.setTimestamp(7, at);
                ins.addBatch();
            }
            ins.executeBatch();
        }
        return days.size();
    }

    /**
     * Moves {@code portal_days_version} ({@code V25_1}), in the caller's transaction: every writer of
     * {@code portal_store_day} calls it after its writes, as close to its commit as it can (the row stays locked until
     * then), so the servers' {@code PortalDayCache} drop the rows they hold.
     */
    public static void changed(Connection c) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE portal_days_version SET version = version + 1 WHERE id = 1")) {
            if (up.executeUpdate() != 1) {
                throw new SQLException("portal_days_version has no row 1 (migration V25_1 not applied?)");
            }
        }
    }

    /**
     * After the job looked for late crops received since {@code checkedFromUtc} (its stale look-back) and rewrote
     * the stale days, as of {@code checkedAtUtc}: the stores' watermark moves to {@code checkedAtUtc} when nothing
     * received before the look-back is unchecked (the previous watermark is not older than {@code checkedFromUtc},
     * or the store has none yet: then every row of it was written by runs at or after this check).
     */
    public static void advanceWatermarks(Connection c, Collection<Long> storeIds, LocalDateTime checkedFromUtc,
            LocalDateTime checkedAtUtc) throws SQLException {
        if (storeIds.isEmpty()) {
            return;
        }
        Map<Long, LocalDateTime> current = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT store_id, fresh_until FROM portal_store_watermark")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getLong(1), rs.getTimestamp(2).toLocalDateTime());
                }
            }
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE portal_store_watermark SET fresh_until = ? WHERE store_id = ?");
                PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO portal_store_watermark (store_id, fresh_until) VALUES (?, ?)")) {
            Timestamp at = Timestamp.valueOf(checkedAtUtc);
            for (long id : storeIds) {
                LocalDateTime prev = current.get(id);
                if (prev == null) {
                    ins.setLong(1, id);
                    ins.setTimestamp(2, at);
                    ins.addBatch();
                } else if (!prev.isBefore(checkedFromUtc) && prev.isBefore(checkedAtUtc)) {
                    up.setTimestamp(1, at);
                    up.setLong(2, id);
                    up.addBatch();
                }
            }
            up.executeBatch();
            ins.executeBatch();
        }
    }

    /** A look-back as the job's parameter gives it. */
    public static LocalDateTime checkedFrom(LocalDateTime checkedAtUtc, int lookbackDays) {
        return checkedAtUtc.minus(Duration.ofDays(lookbackDays));
    }
}
