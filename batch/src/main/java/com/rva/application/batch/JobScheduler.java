package com.rva.application.batch;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.reports.RegionReportParameters;
import com.rva.infrastructure.batch.JobScheduleStore;
import com.rva.infrastructure.batch.JobScheduleStore.Row;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * Runs the jobs at the times in {@code job_schedule} (data an admin edits: job, server-local hour and
 * minute, enabled). One persistent timer ticks every minute; a due row is claimed with a conditional
 * UPDATE of its next run time, so when every node of a cluster ticks, one of them starts the job. A run
 * missed while the server was down is made up once at the next tick.
 */
@Singleton
public class JobScheduler {

    private static final Logger LOG = Logger.getLogger(JobScheduler.class.getName());
    static final String TIMER_INFO = "rva job schedules";

    @EJB
    BatchJobService jobs;

    @EJB
    JobScheduleStore store;

    @Resource
    TimerService timerService;

    @Schedule(hour = "*", minute = "*", persistent = true, info = TIMER_INFO)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick(Timer timer) {
        runDue(LocalDateTime.now(ZoneOffset.UTC));
    }

    /** Starts every enabled job whose next run is due at {@code nowUtc}; returns the executions this node started. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Long> runDue(LocalDateTime nowUtc) {
        List<Long> started = new ArrayList<>();
        for (Row row : store.all()) {
            if (!row.enabled()) {
                continue;
            }
            LocalDateTime next = nextRun(row.hour(), row.minute(), nowUtc, ZoneId.systemDefault());
            if (row.nextRunAt() == null) {
                store.claim(row.jobName(), null, next, nowUtc, false); // first sight of the row: plan, don't run
                continue;
            }
            if (row.nextRunAt().isAfter(nowUtc) || !store.claim(row.jobName(), row.nextRunAt(), next, nowUtc, true)) {
                continue; // not due, or another node claimed it
            }
            try {
                long id = start(row.jobName());
                store.started(row.jobName(), id);
                started.add(id);
                LOG.info(() -> "Scheduled " + row.jobName() + " (due " + row.nextRunAt() + " UTC) started as execution "
                        + id + "; next run " + next + " UTC");
            } catch (RuntimeException e) {
                // visible in the log and the schedule's missing execution; the next due time tries again
                LOG.log(Level.SEVERE, "Scheduled " + row.jobName() + " could not start", e);
            }
        }
        return started;
    }

    private long start(String jobName) {
        return switch (jobName) {
            case DailyAggregatesParameters.JOB_NAME -> jobs.startDailyAggregates(null, null);
            case RegionReportParameters.JOB_NAME -> jobs.startRegionReport(null, null, null);
            default -> jobs.start(jobName, new Properties());
        };
    }

    /** The schedules and whether the ticking timer is a persistent one (for the API and admin page). */
    public List<ScheduledJob> schedules() {
        boolean persistent = timerService.getTimers().stream().anyMatch(t -> TIMER_INFO.equals(t.getInfo())
                && t.isPersistent());
        return store.all().stream().map(r -> new ScheduledJob(r.jobName(), r.enabled() ? "enabled" : "disabled",
                String.format("%02d:%02d server time (%s)", r.hour(), r.minute(), ZoneId.systemDefault()), persistent,
                r.nextRunAt() == null ? null : r.nextRunAt().atOffset(ZoneOffset.UTC), r.hour(), r.minute(),
                r.enabled())).toList();
    }

    /** Changes a job's time of day and whether it runs; the next run is planned from now. */
    public ScheduledJob update(String jobName, int hour, int minute, boolean enabled) {
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            throw new JobParameterException("time", String.format("%d:%d is not a time of day", hour, minute));
        }
        if (!jobs.jobNames().contains(jobName)) {
            throw new JobParameterException("job", "no job named '" + jobName + "'");
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        store.save(jobName, hour, minute, enabled, nextRun(hour, minute, now, ZoneId.systemDefault()));
        LOG.info(() -> "Schedule of " + jobName + " set to " + hour + ":" + minute + (enabled ? "" : " (disabled)"));
        return schedules().stream().filter(s -> s.jobName().equals(jobName)).findFirst().orElseThrow();
    }

    /** The first {@code hour:minute} in {@code zone} strictly after {@code nowUtc}, as UTC. */
    static LocalDateTime nextRun(int hour, int minute, LocalDateTime nowUtc, ZoneId zone) {
        ZonedDateTime now = nowUtc.atZone(ZoneOffset.UTC).withZoneSameInstant(zone);
        ZonedDateTime candidate = now.toLocalDate().atTime(LocalTime.of(hour, minute)).atZone(zone);
        if (!candidate.isAfter(now)) {
            candidate = now.toLocalDate().plusDays(1).atTime(LocalTime.of(hour, minute)).atZone(zone);
        }
        return candidate.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
}
