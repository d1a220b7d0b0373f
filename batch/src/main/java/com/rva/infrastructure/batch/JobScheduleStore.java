package com.rva.infrastructure.batch;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The rows of {@code job_schedule}; every change commits on its own (a claim must be visible to other nodes). */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JobScheduleStore {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    /** One schedule: times UTC. */
    public record Row(String jobName, int hour, int minute, boolean enabled, LocalDateTime nextRunAt,
            LocalDateTime lastRunAt, Long lastExecutionId) {
    }

    public List<Row> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT job_name, run_hour, run_minute, enabled, next_run_at,"
                + " last_run_at, last_execution_id FROM job_schedule ORDER BY job_name").getResultList();
        List<Row> result = new ArrayList<>();
        for (Object[] r : rows) {
            result.add(new Row((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).intValue(), bool(r[3]),
                    time(r[4]), time(r[5]), r[6] == null ? null : ((Number) r[6]).longValue()));
        }
        return result;
    }

    /**
     * Moves the row's next run from {@code expected} to {@code next}; true for the one caller that did it.
     * With {@code run}, also records {@code nowUtc} as the last run.
     */
    public boolean claim(String jobName, LocalDateTime expected, LocalDateTime next, LocalDateTime nowUtc, boolean run) {
        String sql = "UPDATE job_schedule SET next_run_at = ?1" + (run ? ", last_run_at = ?2" : "")
                + " WHERE job_name = ?3 AND " + (expected == null ? "next_run_at IS NULL" : "next_run_at = ?4");
        var q = em.createNativeQuery(sql).setParameter(1, next).setParameter(3, jobName);
        if (run) {
            q.setParameter(2, nowUtc);
        }
        if (expected != null) {
            q.setParameter(4, expected);
        }
        return q.executeUpdate() == 1;
    }

    public void started(String jobName, long executionId) {
        em.createNativeQuery("UPDATE job_schedule SET last_execution_id = ?1 WHERE job_name = ?2")
                .setParameter(1, executionId).setParameter(2, jobName).executeUpdate();
    }

    /** Inserts or changes a job's schedule. */
    public void save(String jobName, int hour, int minute, boolean enabled, LocalDateTime nextRunAt) {
        int n = em.createNativeQuery("UPDATE job_schedule SET run_hour = ?1, run_minute = ?2, enabled = ?3,"
                + " next_run_at = ?4 WHERE job_name = ?5").setParameter(1, hour).setParameter(2, minute)
                .setParameter(3, enabled).setParameter(4, nextRunAt).setParameter(5, jobName).executeUpdate();
        if (n == 0) {
            em.createNativeQuery("INSERT INTO job_schedule (job_name, run_hour, run_minute, enabled, next_run_at)"
                    + " VALUES (?1, ?2, ?3, ?4, ?5)").setParameter(1, jobName).setParameter(2, hour)
                    .setParameter(3, minute).setParameter(4, enabled).setParameter(5, nextRunAt).executeUpdate();
        }
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : ((Number) o).intValue() != 0;
    }

    private static LocalDateTime time(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof LocalDateTime t) {
            return t;
        }
        return ((java.sql.Timestamp) o).toLocalDateTime();
    }
}
