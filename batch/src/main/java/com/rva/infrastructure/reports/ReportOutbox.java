package com.rva.infrastructure.reports;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The send log of the region reports: one row per (region, day), each change committed on its own
 * (REQUIRES_NEW) before the job acts on it. A report is sent only by the run that moved its row to
 * SENDING, and a SENT row is never sent again, whatever restarts or double runs happen.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ReportOutbox {

    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String NO_RECIPIENTS = "NO_RECIPIENTS";

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    /** One row of the log. */
    public record Entry(long regionId, String regionCode, LocalDate day, String status, int attempts,
            String recipients, String messageId, String lastError, Long jobExecutionId) {
    }

    /** Adds the (region, day) row as PENDING unless it is there; returns whether it was added. */
    public boolean ensure(long regionId, LocalDate day) {
        if (find(regionId, day) != null) {
            return false;
        }
        LocalDateTime now = now();
        em.createNativeQuery("INSERT INTO region_report_outbox (region_id, local_day, status, attempts, created_at,"
                + " updated_at) VALUES (?1, ?2, ?3, 0, ?4, ?4)").setParameter(1, regionId).setParameter(2, day)
                .setParameter(3, PENDING).setParameter(4, now).executeUpdate();
        return true;
    }

    /**
     * Moves the row from PENDING, FAILED or NO_RECIPIENTS to SENDING for this execution; false when it is
     * SENT or SENDING (another run sends it, or a crash left it uncertain).
     */
    public boolean claim(long regionId, LocalDate day, long executionId) {
        return em.createNativeQuery("UPDATE region_report_outbox SET status = ?1, job_execution_id = ?2, updated_at = ?3,"
                + " last_error = NULL WHERE region_id = ?4 AND local_day = ?5 AND status IN (?6, ?7, ?8)")
                .setParameter(1, SENDING).setParameter(2, executionId).setParameter(3, now())
                .setParameter(4, regionId).setParameter(5, day)
                .setParameter(6, PENDING).setParameter(7, FAILED).setParameter(8, NO_RECIPIENTS).executeUpdate() == 1;
    }

    /** One send attempt failed (the row stays SENDING while the run retries). */
    public void attemptFailed(long regionId, LocalDate day, String error) {
        update("attempts = attempts + 1, last_error = ?1", regionId, day, truncate(error));
    }

    public void sent(long regionId, LocalDate day, String messageId, String recipients) {
        update("status = '" + SENT + "', attempts = attempts + 1, message_id = ?1, recipients = ?2, sent_at = ?3",
                regionId, day, messageId, truncate(recipients), now());
    }

    public void failed(long regionId, LocalDate day) {
        update("status = '" + FAILED + "'", regionId, day);
    }

    public void noRecipients(long regionId, LocalDate day) {
        update("status = '" + NO_RECIPIENTS + "'", regionId, day);
    }

    /** An admin's decision after checking the mailbox: send a report left SENDING by a crash again. */
    public boolean release(long regionId, LocalDate day) {
        return em.createNativeQuery("UPDATE region_report_outbox SET status = ?1, updated_at = ?2 WHERE region_id = ?3"
                + " AND local_day = ?4 AND status = ?5").setParameter(1, PENDING).setParameter(2, now())
                .setParameter(3, regionId).setParameter(4, day).setParameter(5, SENDING).executeUpdate() == 1;
    }

    public Entry find(long regionId, LocalDate day) {
        List<Entry> rows = entries("WHERE o.region_id = ?1 AND o.local_day = ?2", regionId, day);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The log of a day, by region id. */
    public List<Entry> day(LocalDate day) {
        return entries("WHERE o.local_day = ?1 ORDER BY o.region_id", day);
    }

    /** Every row left SENDING, oldest day first: being sent now, or left mid-send by a crash. */
    public List<Entry> sending() {
        return entries("WHERE o.status = ?1 ORDER BY o.local_day, o.region_id", SENDING);
    }

    private List<Entry> entries(String where, Object... args) {
        jakarta.persistence.Query q = em.createNativeQuery("SELECT o.region_id, r.code, o.local_day, o.status, o.attempts,"
                + " o.recipients, o.message_id, o.last_error, o.job_execution_id FROM region_report_outbox o"
                + " JOIN region r ON r.id = o.region_id " + where);
        for (int i = 0; i < args.length; i++) {
            q.setParameter(i + 1, args[i]);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        List<Entry> entries = new ArrayList<>();
        for (Object[] r : rows) {
            entries.add(new Entry(((Number) r[0]).longValue(), (String) r[1], date(r[2]), (String) r[3],
                    ((Number) r[4]).intValue(), (String) r[5], (String) r[6], (String) r[7],
                    r[8] == null ? null : ((Number) r[8]).longValue()));
        }
        return entries;
    }

    private void update(String set, long regionId, LocalDate day, Object... args) {
        int n = args.length;
        jakarta.persistence.Query q = em.createNativeQuery("UPDATE region_report_outbox SET " + set + ", updated_at = ?"
                + (n + 1) + " WHERE region_id = ?" + (n + 2) + " AND local_day = ?" + (n + 3));
        for (int i = 0; i < n; i++) {
            q.setParameter(i + 1, args[i]);
        }
        q.setParameter(n + 1, now()).setParameter(n + 2, regionId).setParameter(n + 3, day);
        if (q.executeUpdate() != 1) {
            throw new IllegalStateException("No report log row for region " + regionId + " and " + day);
        }
    }

    private static LocalDate date(Object o) {
        if (o instanceof LocalDate d) {
            return d;
        }
        if (o instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return ((java.sql.Timestamp) o).toLocalDateTime().toLocalDate();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1900 ? s : s.substring(0, 1900) + "...";
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }
}
