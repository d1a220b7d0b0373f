package com.rva.it.batch;

import java.time.Duration;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;

/** Waits, bounded, for a job execution to end (the JBeret tests' way: start, wait, then look at data). */
public final class BatchAwait {

    private BatchAwait() {
    }

    public static JobExecutionInfo end(BatchJobService jobs, long executionId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobExecutionInfo execution = jobs.execution(executionId);
        while (!execution.isFinished()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Execution " + executionId + " did not end within " + timeout + ": " + execution);
            }
            Thread.sleep(100);
            execution = jobs.execution(executionId);
        }
        return execution;
    }
}
