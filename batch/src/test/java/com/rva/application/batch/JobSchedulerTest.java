package com.rva.application.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class JobSchedulerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void nextRunIsTheNextLocalTimeOfDayStrictlyAfterNow() {
        // 01:00 UTC = 02:00 Berlin (winter): 02:30 is still to come today
        assertEquals(LocalDateTime.of(2024, 11, 26, 1, 30),
                JobScheduler.nextRun(2, 30, LocalDateTime.of(2024, 11, 26, 1, 0), BERLIN));
        // exactly at the time: the next day's
        assertEquals(LocalDateTime.of(2024, 11, 27, 1, 30),
                JobScheduler.nextRun(2, 30, LocalDateTime.of(2024, 11, 26, 1, 30), BERLIN));
        // summer time: 02:30 Berlin is 00:30 UTC
        assertEquals(LocalDateTime.of(2024, 7, 2, 0, 30),
                JobScheduler.nextRun(2, 30, LocalDateTime.of(2024, 7, 1, 12, 0), BERLIN));
        // the night the clocks go forward 02:30 does not exist; the run moves to 03:30 local (01:30 UTC)
        assertEquals(LocalDateTime.of(2024, 3, 31, 1, 30),
                JobScheduler.nextRun(2, 30, LocalDateTime.of(2024, 3, 30, 12, 0), BERLIN));
    }
}
