package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.audit.AuditService;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.JobExecutionNotFoundException;
import com.rva.application.batch.JobParameterException;
import com.rva.application.batch.JobScheduler;
import com.rva.application.batch.JobStateException;
import com.rva.application.batch.ReportNotFoundException;
import com.rva.application.batch.ScheduledJob;
import com.rva.application.reports.RegionReportParameters;
import com.rva.infrastructure.reports.ReportOutbox;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * Admin: the batch jobs (the same {@link BatchJobService} as {@code /api/v1/jobs}): start one, stop or restart an
 * execution, the execution history (newest first, a page at a time, at most {@link BatchJobService#MAX_LISTED}),
 * the schedules ({@code job_schedule}: server-local time, enabled) and the region reports a crash left mid-send,
 * which an admin releases after checking the mailboxes. Every action is audited.
 */
@Named
@ViewScoped
public class AdminJobsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private BatchJobService jobs;

    @EJB
    private JobScheduler scheduler;

    @EJB
    private AuditService audit;

    private String jobFilter;
    private List<String> jobNames = List.of();
    private List<ScheduledJob> schedules = List.of();
    private List<ReportOutbox.Entry> uncertainReports = List.of();
    private final Executions executions = new Executions();

    // start form
    private String job = DailyAggregatesParameters.JOB_NAME;
    private String day;
    private String from;
    private String to;
    private String scope;

    // schedule form
    private String scheduleJob;
    private Integer hour;
    private Integer minute;
    private boolean enabled = true;

    /** The executions, newest first; the job operator lists them, so a page is cut from the newest ones. */
    public class Executions extends LazyDataModel<JobExecutionInfo> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return list(BatchJobService.MAX_LISTED).size();
        }

        @Override
        public List<JobExecutionInfo> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            List<JobExecutionInfo> all = list(Math.min(first + pageSize, BatchJobService.MAX_LISTED));
            return first >= all.size() ? List.of() : all.subList(first, Math.min(all.size(), first + pageSize));
        }

        private List<JobExecutionInfo> list(int limit) {
            String name = selectedJob();
            return name == null ? jobs.executions(limit) : jobs.executions(name, limit);
        }

        @Override
        public String getRowKey(JobExecutionInfo row) {
            return Long.toString(row.executionId());
        }

        @Override
        public JobExecutionInfo getRowData(String rowKey) {
            List<JobExecutionInfo> page = getWrappedData();
            return page == null ? null : page.stream().filter(r -> getRowKey(r).equals(rowKey)).findFirst().orElse(null);
        }
    }

    public void load() {
        jobNames = List.copyOf(new TreeSet<>(jobs.jobNames()));
        schedules = scheduler.schedules();
        uncertainReports = jobs.uncertainReports();
    }

    private String selectedJob() {
        return jobFilter != null && jobNames.contains(jobFilter) ? jobFilter : null;
    }

    public void start() {
        attempt(() -> {
            long id = switch (job == null ? "" : job) {
                case DailyAggregatesParameters.JOB_NAME -> jobs.startDailyAggregates(day, scope);
                case RegionReportParameters.JOB_NAME -> jobs.startRegionReport(day, scope, null);
                case "seed-export" -> jobs.startSeedExport(from, to, scope);
                default -> jobs.start(job, new java.util.Properties());
            };
            JobExecutionInfo started = jobs.execution(id);
            audit.record(AuditService.JOB_CONTROL, "started " + started.jobName() + " " + started.parameters()
                    + " as execution " + id);
            return "Started " + started.jobName() + " as execution " + id;
        });
    }

    public void stop(JobExecutionInfo row) {
        attempt(() -> {
            jobs.stop(row.executionId());
            audit.record(AuditService.JOB_CONTROL, "stop requested for execution " + row.executionId() + " of "
                    + row.jobName());
            return "Stop requested for execution " + row.executionId();
        });
    }

    public void restart(JobExecutionInfo row) {
        attempt(() -> {
            long id = jobs.restart(row.executionId());
            audit.record(AuditService.JOB_CONTROL, "restarted execution " + row.executionId() + " of " + row.jobName()
                    + " as " + id);
            return "Restarted execution " + row.executionId() + " as " + id;
        });
    }

    public void editSchedule(ScheduledJob row) {
        scheduleJob = row.jobName();
        hour = row.hour();
        minute = row.minute();
        enabled = row.enabled();
    }

    public void saveSchedule() {
        if (scheduleJob == null || hour == null || minute == null) {
            AdminMessages.error("Choose a job and give an hour (0-23) and a minute (0-59)");
            return;
        }
        attempt(() -> {
            ScheduledJob old = schedules.stream().filter(s -> s.jobName().equals(scheduleJob)).findFirst().orElse(null);
            ScheduledJob now = scheduler.update(scheduleJob, hour, minute, enabled);
            audit.record(AuditService.JOB_CONTROL, "schedule of " + scheduleJob + ": "
                    + (old == null ? "none" : old.schedule() + " " + old.description()) + " -> " + now.schedule() + " "
                    + now.description());
            return "Saved the schedule of " + scheduleJob;
        });
        schedules = scheduler.schedules();
    }

    public void release(ReportOutbox.Entry row) {
        attempt(() -> {
            jobs.releaseReport(row.regionCode(), row.day().toString());
            audit.record(AuditService.JOB_CONTROL, "region report of " + row.regionCode() + " for " + row.day()
                    + " released for sending again (was SENDING by execution " + row.jobExecutionId() + ")");
            return "Released the report of " + row.regionCode() + " for " + row.day()
                    + ": the next region-report run for that day sends it";
        });
        uncertainReports = jobs.uncertainReports();
    }

    private void attempt(java.util.function.Supplier<String> action) {
        try {
            AdminMessages.info(action.get());
        } catch (JobParameterException | JobStateException | JobExecutionNotFoundException | ReportNotFoundException e) {
            AdminMessages.error(e.getMessage());
        } catch (EJBException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            AdminMessages.error(cause instanceof RuntimeException && cause.getMessage() != null ? cause.getMessage()
                    : "Failed: " + cause.getClass().getSimpleName());
        }
    }

    public String apply() {
        return "jobs?faces-redirect=true&includeViewParams=true";
    }

    public boolean restartable(JobExecutionInfo row) {
        return "FAILED".equals(row.batchStatus()) || "STOPPED".equals(row.batchStatus());
    }

    public List<String> getJobNames() {
        return jobNames;
    }

    public List<ScheduledJob> getSchedules() {
        return schedules;
    }

    public List<ReportOutbox.Entry> getUncertainReports() {
        return uncertainReports;
    }

    public Executions getExecutions() {
        return executions;
    }

    public String getJobFilter() {
        return jobFilter;
    }

    public void setJobFilter(String jobFilter) {
        this.jobFilter = jobFilter;
    }

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public String getDay() {
        return day;
    }

    public void setDay(String day) {
        this.day = day;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getScheduleJob() {
        return scheduleJob;
    }

    public void setScheduleJob(String scheduleJob) {
        this.scheduleJob = scheduleJob;
    }

    public Integer getHour() {
        return hour;
    }

    public void setHour(Integer hour) {
        this.hour = hour;
    }

    public Integer getMinute() {
        return minute;
    }

    public void setMinute(Integer minute) {
        this.minute = minute;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
