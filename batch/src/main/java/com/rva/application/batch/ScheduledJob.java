package com.rva.application.batch;

import java.time.OffsetDateTime;

/** A job the application starts on a timer: when, and whether the timer survives restarts. */
public record ScheduledJob(String jobName, String description, String schedule, boolean persistent,
        OffsetDateTime nextRun, int hour, int minute, boolean enabled) {
}
