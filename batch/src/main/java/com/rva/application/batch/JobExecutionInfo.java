package com.rva.application.batch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import jakarta.batch.runtime.JobExecution;

/** One execution of a batch job as admins see it; times are UTC, null while not reached. */
public record JobExecutionInfo(long executionId, String jobName, String batchStatus, String exitStatus,
        OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime endedAt, Map<String, String> parameters) {

    public static JobExecutionInfo of(JobExecution execution) {
        Map<String, String> parameters = new TreeMap<>();
        Properties p = execution.getJobParameters();
        if (p != null) {
            p.stringPropertyNames().forEach(name -> parameters.put(name, p.getProperty(name)));
        }
        return new JobExecutionInfo(execution.getExecutionId(), execution.getJobName(),
                String.valueOf(execution.getBatchStatus()), execution.getExitStatus(),
                utc(execution.getCreateTime()), utc(execution.getStartTime()), utc(execution.getEndTime()),
                parameters);
    }

    public boolean isFinished() {
        return switch (batchStatus) {
            case "COMPLETED", "FAILED", "STOPPED", "ABANDONED" -> true;
            default -> false;
        };
    }

    private static OffsetDateTime utc(Date date) {
        return date == null ? null : date.toInstant().atOffset(ZoneOffset.UTC);
    }
}
