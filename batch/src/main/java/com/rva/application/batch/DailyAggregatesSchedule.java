package com.rva.application.batch;

import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * Builds yesterday's aggregates every night at 02:30 server time. The timer is persistent: in a cluster
 * whose timers share a database store one node runs it, and a run missed while the server was down is
 * made up when it comes back.
 */
@Singleton
public class DailyAggregatesSchedule {

    private static final Logger LOG = Logger.getLogger(DailyAggregatesSchedule.class.getName());
    private static final String INFO = "daily-aggregates for yesterday";

    @EJB
    BatchJobService jobs;

    @Resource
    TimerService timerService;

    @Schedule(hour = "2", minute = "30", persistent = true, info = INFO)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void nightly(Timer timer) {
        try {
            long id = jobs.startDailyAggregates(null, null);
            LOG.info(() -> "Nightly daily-aggregates started as execution " + id);
        } catch (RuntimeException e) {
            // a failed start is logged and visible in the job list; the next night tries again
            LOG.log(Level.SEVERE, "Nightly daily-aggregates could not start", e);
        }
    }

    /** The timers of this bean as the container holds them (for the admin page). */
    public List<ScheduledJob> timers() {
        return timerService.getTimers().stream().filter(t -> INFO.equals(t.getInfo())).map(t -> {
            ScheduleExpression e = t.getSchedule();
            return new ScheduledJob(DailyAggregatesParameters.JOB_NAME, INFO,
                    "hour=" + e.getHour() + " minute=" + e.getMinute() + " (server time)", t.isPersistent(),
                    t.getNextTimeout().toInstant().atOffset(ZoneOffset.UTC));
        }).toList();
    }
}
