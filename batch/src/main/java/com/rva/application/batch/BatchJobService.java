package com.rva.application.batch;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.exports.SeedExportParameters;
import com.rva.application.reports.RegionReportParameters;
import com.rva.infrastructure.aggregates.JpaDailyAggregateRepository;
import com.rva.infrastructure.reports.JpaRegionReportRepository;
import com.rva.infrastructure.reports.ReportOutbox;

import jakarta.batch.operations.JobExecutionAlreadyCompleteException;
import jakarta.batch.operations.JobExecutionNotMostRecentException;
import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobRestartException;
import jakarta.batch.operations.NoSuchJobException;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Starts, stops and restarts the batch jobs of this application and lists their executions.
 *
 * <p>It lives in the batch module on purpose: WildFly gives each deployment unit its own job operator,
 * which finds only the job XMLs of that unit, and an EJB call runs with the bean's module as context.
 * So the portal, the API and the schedules all start jobs through here.
 *
 * <p>No transaction: JBeret writes the new execution to its JDBC repository (in RvaDS) and runs the job
 * on another thread at once; inside a caller's transaction that thread could not see the execution yet.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BatchJobService {

    private static final Logger LOG = Logger.getLogger(BatchJobService.class.getName());

    /** Default and upper bound of {@link #executions(int)}. */
    public static final int MAX_LISTED = 500;

    @Inject
    JpaDailyAggregateRepository aggregates;

    @Inject
    JpaRegionReportRepository reports;

    @EJB
    ReportOutbox outbox;

    /** The job names this application can start (its {@code META-INF/batch-jobs}). */
    public Set<String> jobNames() {
        return operator().getJobNames();
    }

    /**
     * Starts {@code daily-aggregates} for a store-local day (ISO date; blank: yesterday by the server's
     * clock) and optionally a comma-separated list of store codes (blank: all stores).
     */
    public long startDailyAggregates(String day, String stores) {
        return startDailyAggregates(day, stores, null, null);
    }

    /** The same with the tuning parameters {@code storesPerChunk} and {@code partitions} (blank: defaults). */
    public long startDailyAggregates(String day, String stores, String storesPerChunk, String partitions) {
        return startDailyAggregates(day, null, stores, storesPerChunk, partitions);
    }

    /** The same for the days {@code from} .. {@code day} (a backfill; blank {@code from}: the day alone). */
    public long startDailyAggregates(String day, String from, String stores, String storesPerChunk, String partitions) {
        LocalDate localDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        LocalDate firstDay = DailyAggregatesParameters.from(from, localDay);
        List<String> codes = DailyAggregatesParameters.storeCodes(stores);
        aggregates.stores(codes); // refuses unknown codes before anything starts
        String dayText = localDay.toString();
        // Two runs of one day would delete and insert the same rows at the same time.
        for (JobExecutionInfo running : running(DailyAggregatesParameters.JOB_NAME)) {
            if (dayText.equals(running.parameters().get(DailyAggregatesParameters.DAY))) {
                throw new JobStateException(DailyAggregatesParameters.JOB_NAME + " for " + dayText
                        + " is already running as execution " + running.executionId());
            }
        }
        Properties parameters = new Properties();
        parameters.setProperty(DailyAggregatesParameters.DAY, dayText);
        if (!firstDay.equals(localDay)) {
            parameters.setProperty(DailyAggregatesParameters.FROM, firstDay.toString());
        }
        if (!codes.isEmpty()) {
            parameters.setProperty(DailyAggregatesParameters.STORES, DailyAggregatesParameters.joinStoreCodes(codes));
        }
        if (storesPerChunk != null && !storesPerChunk.isBlank()) {
            parameters.setProperty("storesPerChunk", String.valueOf(DailyAggregatesParameters.storesPerChunk(storesPerChunk)));
        }
        if (partitions != null && !partitions.isBlank()) {
            parameters.setProperty(DailyAggregatesParameters.PARTITIONS,
                    String.valueOf(DailyAggregatesParameters.partitions(partitions)));
        }
        return start(DailyAggregatesParameters.JOB_NAME, parameters);
    }

    /**
     * Starts {@code region-report} for a store-local day (blank: yesterday), optional region codes (blank:
     * all) and an optional k (blank: the setting). Parameters are checked before anything starts.
     */
    public long startRegionReport(String day, String regions, String k) {
        LocalDate localDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        List<String> codes = RegionReportParameters.regionCodes(regions);
        reports.regions(codes); // refuses unknown codes
        Integer kValue = RegionReportParameters.k(k);
        Properties parameters = new Properties();
        parameters.setProperty(RegionReportParameters.DAY, localDay.toString());
        if (!codes.isEmpty()) {
            parameters.setProperty(RegionReportParameters.REGIONS, String.join(",", codes));
        }
        if (kValue != null) {
            parameters.setProperty(RegionReportParameters.K, kValue.toString());
        }
        return start(RegionReportParameters.JOB_NAME, parameters);
    }

    /**
     * Starts {@code seed-export}: the seed's aggregate JSON for visits started in the range, as a file (see
     * seed-export.xml). The range is read as {@code GET /api/v1/aggregates} reads it.
     */
    public long startSeedExport(String from, String to, String stores) {
        LocalDateTime start = SeedExportParameters.bound(SeedExportParameters.FROM, from, false);
        LocalDateTime end = SeedExportParameters.bound(SeedExportParameters.TO, to, true);
        if (!start.isBefore(end)) {
            throw new JobParameterException(SeedExportParameters.TO, "the range ends (" + end + ") before it starts ("
                    + start + ")");
        }
        List<String> codes = DailyAggregatesParameters.storeCodes(stores);
        aggregates.stores(codes);
        Properties parameters = new Properties();
        parameters.setProperty(SeedExportParameters.FROM, from.strip());
        parameters.setProperty(SeedExportParameters.TO, to.strip());
        if (!codes.isEmpty()) {
            parameters.setProperty(SeedExportParameters.STORES, String.join(",", codes));
        }
        return start(SeedExportParameters.JOB_NAME, parameters);
    }

    /**
     * Starts {@code identity-consolidation} now (it also runs nightly by its schedule): merges the customers that
     * are one person. Refused while another run is going: two runs would plan merges of the same customers.
     */
    public long startIdentityConsolidation() {
        for (JobExecutionInfo running : running(IdentityConsolidationOperations.JOB_NAME)) {
            throw new JobStateException(IdentityConsolidationOperations.JOB_NAME + " is already running as execution "
                    + running.executionId());
        }
        return start(IdentityConsolidationOperations.JOB_NAME, new Properties());
    }

    /** The region reports' send log of a store-local day (blank: yesterday). */
    public List<ReportOutbox.Entry> reportLog(String day) {
        return outbox.day(DailyAggregatesParameters.day(day, Clock.systemDefaultZone()));
    }

    /** The region reports a crash left mid-send (SENDING, and no running execution sends them), oldest first. */
    public List<ReportOutbox.Entry> uncertainReports() {
        return outbox.sending().stream().filter(e -> !stillRunning(e.jobExecutionId())).toList();
    }

    /**
     * An admin's decision after checking the recipients' mailboxes: the next region-report run (or a restart)
     * sends again a report a crash left mid-send. Only a SENDING row whose execution no longer runs is released.
     */
    public void releaseReport(String region, String day) {
        if (region == null || region.isBlank()) {
            throw new JobParameterException("region", "the code of the report's region is required");
        }
        if (day == null || day.isBlank()) {
            throw new JobParameterException(RegionReportParameters.DAY, "the day of the report is required (yyyy-mm-dd)");
        }
        LocalDate localDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        String code = region.trim();
        ReportOutbox.Entry entry = reports.regions(List.of()).stream().filter(r -> r.code().equals(code)).findFirst()
                .map(r -> outbox.find(r.id(), localDay)).orElse(null);
        if (entry == null) {
            throw new ReportNotFoundException(code, localDay);
        }
        if (!ReportOutbox.SENDING.equals(entry.status())) {
            throw new JobStateException("The report of " + code + " for " + localDay + " is " + entry.status()
                    + ", not left mid-send: there is nothing to release");
        }
        if (stillRunning(entry.jobExecutionId())) {
            throw new JobStateException("The report of " + code + " for " + localDay + " is being sent by execution "
                    + entry.jobExecutionId() + ", which is still running");
        }
        if (!outbox.release(entry.regionId(), localDay)) {
            throw new JobStateException("The report of " + code + " for " + localDay + " changed meanwhile; reload");
        }
        LOG.info(() -> "region-report " + code + " " + localDay + " released for sending again (was SENDING by execution "
                + entry.jobExecutionId() + ")");
    }

    private static boolean stillRunning(Long executionId) {
        if (executionId == null) {
            return false;
        }
        try {
            BatchStatus status = operator().getJobExecution(executionId).getBatchStatus();
            return status == BatchStatus.STARTING || status == BatchStatus.STARTED || status == BatchStatus.STOPPING;
        } catch (NoSuchJobExecutionException e) {
            return false;
        }
    }

    /** Starts a job of this application by name; returns the execution id. */
    public long start(String jobName, Properties parameters) {
        if (!jobNames().contains(jobName)) {
            throw new JobParameterException("job", "no job named '" + jobName + "' (known: " + jobNames() + ")");
        }
        long id = operator().start(jobName, parameters);
        LOG.info(() -> "Started " + jobName + " " + parameters + " as execution " + id);
        return id;
    }

    /** Restarts a failed or stopped execution with its original parameters; returns the new execution id. */
    public long restart(long executionId) {
        JobOperator operator = operator();
        try {
            Properties parameters = operator.getParameters(executionId);
            long id = operator.restart(executionId, parameters);
            LOG.info(() -> "Restarted execution " + executionId + " as " + id);
            return id;
        } catch (NoSuchJobExecutionException e) {
            throw new JobExecutionNotFoundException(executionId);
        } catch (JobExecutionAlreadyCompleteException | JobExecutionNotMostRecentException | JobRestartException e) {
            throw new JobStateException("Execution " + executionId + " cannot be restarted: " + e.getMessage());
        }
    }

    /** Asks a running execution to stop at its next checkpoint. */
    public void stop(long executionId) {
        try {
            operator().stop(executionId);
            LOG.info(() -> "Stop requested for execution " + executionId);
        } catch (NoSuchJobExecutionException e) {
            throw new JobExecutionNotFoundException(executionId);
        } catch (JobExecutionNotRunningException e) {
            throw new JobStateException("Execution " + executionId + " is not running");
        }
    }

    /** The most recent executions of all jobs of this application, newest first. */
    public List<JobExecutionInfo> executions(int limit) {
        int max = limit <= 0 ? MAX_LISTED : Math.min(limit, MAX_LISTED);
        JobOperator operator = operator();
        List<JobExecutionInfo> all = new ArrayList<>();
        for (String name : operator.getJobNames()) {
            List<JobInstance> instances;
            try {
                instances = operator.getJobInstances(name, 0, max); // most recent first
            } catch (NoSuchJobException e) {
                continue; // never run
            }
            for (JobInstance instance : instances) {
                for (JobExecution execution : operator.getJobExecutions(instance)) {
                    all.add(JobExecutionInfo.of(execution));
                }
            }
        }
        all.sort(Comparator.comparingLong(JobExecutionInfo::executionId).reversed());
        return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
    }

    /** The most recent executions of one job, newest first. */
    public List<JobExecutionInfo> executions(String jobName, int limit) {
        if (!jobNames().contains(jobName)) {
            throw new JobParameterException("job", "no job named '" + jobName + "' (known: " + jobNames() + ")");
        }
        int max = limit <= 0 ? MAX_LISTED : Math.min(limit, MAX_LISTED);
        JobOperator operator = operator();
        List<JobExecutionInfo> all = new ArrayList<>();
        try {
            for (JobInstance instance : operator.getJobInstances(jobName, 0, max)) {
                operator.getJobExecutions(instance).forEach(e -> all.add(JobExecutionInfo.of(e)));
            }
        } catch (NoSuchJobException e) {
            return List.of(); // never run
        }
        all.sort(Comparator.comparingLong(JobExecutionInfo::executionId).reversed());
        return all.size() > max ? List.copyOf(all.subList(0, max)) : all;
    }

    /** One execution by id. */
    public JobExecutionInfo execution(long executionId) {
        try {
            return JobExecutionInfo.of(operator().getJobExecution(executionId));
        } catch (NoSuchJobExecutionException e) {
            throw new JobExecutionNotFoundException(executionId);
        }
    }

    private List<JobExecutionInfo> running(String jobName) {
        JobOperator operator = operator();
        try {
            return operator.getRunningExecutions(jobName).stream()
                    .map(id -> JobExecutionInfo.of(operator.getJobExecution(id))).toList();
        } catch (NoSuchJobException e) {
            return List.of();
        }
    }

    private static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }
}
