package com.rva.interfaces.batch;

import java.time.LocalDate;
import java.util.List;

import com.rva.application.aggregates.StoreRef;

import jakarta.batch.runtime.context.JobContext;

/**
 * The day and stores of one execution of {@code daily-aggregates}, resolved once by the job listener
 * and shared with the step's artifacts through the job context (so "yesterday" cannot change mid-run).
 */
record DailyAggregatesRun(LocalDate day, List<StoreRef> stores) {

    static DailyAggregatesRun of(JobContext context) {
        if (context.getTransientUserData() instanceof DailyAggregatesRun run) {
            return run;
        }
        throw new IllegalStateException("daily-aggregates: the job listener did not resolve the day and stores");
    }

    List<Long> storeIds() {
        return stores.stream().map(StoreRef::id).toList();
    }
}
