package com.rva.application.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class LocalDayWindowTest {

    private static final ZoneId ATHENS = ZoneId.of("Europe/Athens");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate DAY = LocalDate.of(2024, 11, 26);

    @Test
    void athensWinterDayStartsAt22UtcTheDayBefore() {
        LocalDayWindow w = LocalDayWindow.of(DAY, ATHENS);
        assertEquals(LocalDateTime.of(2024, 11, 25, 22, 0), w.fromUtc());
        assertEquals(LocalDateTime.of(2024, 11, 26, 22, 0), w.toUtc());
        assertEquals(Duration.ofHours(24), w.length());
    }

    @Test
    void berlinWinterDayStartsAt23UtcTheDayBefore() {
        LocalDayWindow w = LocalDayWindow.of(DAY, BERLIN);
        assertEquals(LocalDateTime.of(2024, 11, 25, 23, 0), w.fromUtc());
        assertEquals(LocalDateTime.of(2024, 11, 26, 23, 0), w.toUtc());
    }

    @Test
    void visitAt2330LocalInAthensBelongsToThatLocalDay() {
        LocalDateTime utc = LocalDateTime.of(2024, 11, 26, 21, 30); // 23:30 in Athens
        assertEquals(DAY, LocalDayWindow.localDayOf(utc, ATHENS));
        assertTrue(LocalDayWindow.of(DAY, ATHENS).contains(utc));
    }

    @Test
    void visitAt0030LocalInAthensHasThePreviousUtcDateButBelongsToTheLocalDay() {
        LocalDateTime utc = LocalDateTime.of(2024, 11, 25, 22, 30); // 00:30 on the 26th in Athens
        assertEquals(DAY, LocalDayWindow.localDayOf(utc, ATHENS));
        assertTrue(LocalDayWindow.of(DAY, ATHENS).contains(utc));
        assertFalse(LocalDayWindow.of(DAY.minusDays(1), ATHENS).contains(utc));
        // the same instant is still the 25th in Berlin (23:30 local)
        assertEquals(DAY.minusDays(1), LocalDayWindow.localDayOf(utc, BERLIN));
    }

    @Test
    void utcEveningAfterLocalMidnightBelongsToTheNextLocalDay() {
        LocalDateTime utc = LocalDateTime.of(2024, 11, 26, 22, 30); // 00:30 on the 27th in Athens
        assertEquals(DAY.plusDays(1), LocalDayWindow.localDayOf(utc, ATHENS));
        assertFalse(LocalDayWindow.of(DAY, ATHENS).contains(utc));
        assertTrue(LocalDayWindow.of(DAY, BERLIN).contains(utc)); // 23:30 on the 26th in Berlin
    }

    @Test
    void windowIsHalfOpen() {
        LocalDayWindow w = LocalDayWindow.of(DAY, ATHENS);
        assertTrue(w.contains(w.fromUtc()));
        assertFalse(w.contains(w.toUtc()));
        assertTrue(w.contains(w.toUtc().minusNanos(1000)));
    }

    @Test
    void summerTimeChangeDaysAre23And25HoursLong() {
        assertEquals(Duration.ofHours(23), LocalDayWindow.of(LocalDate.of(2024, 3, 31), BERLIN).length());
        assertEquals(Duration.ofHours(25), LocalDayWindow.of(LocalDate.of(2024, 10, 27), BERLIN).length());
        LocalDayWindow summer = LocalDayWindow.of(LocalDate.of(2024, 7, 1), ATHENS);
        assertEquals(LocalDateTime.of(2024, 6, 30, 21, 0), summer.fromUtc()); // UTC+3 in summer
    }

    @Test
    void dayWhoseMidnightFallsIntoASummerTimeGapStartsAtTheFirstValidTime() {
        // Chile moves its clocks from 24:00 to 01:00 on 2024-09-08: that day starts at 01:00 -03 = 04:00 UTC
        ZoneId santiago = ZoneId.of("America/Santiago");
        LocalDayWindow w = LocalDayWindow.of(LocalDate.of(2024, 9, 8), santiago);
        assertEquals(LocalDateTime.of(2024, 9, 8, 4, 0), w.fromUtc());
        assertEquals(Duration.ofHours(23), w.length());
    }

    @Test
    void consecutiveDaysTileTheTimeLineAndAgreeWithLocalDayOf() {
        for (ZoneId zone : List.of(ATHENS, BERLIN, ZoneId.of("UTC"), ZoneId.of("America/New_York"),
                ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Kiritimati"), ZoneId.of("America/Santiago"))) {
            LocalDate day = LocalDate.of(2024, 1, 1);
            LocalDayWindow w = LocalDayWindow.of(day, zone);
            for (int i = 0; i < 366; i++) {
                LocalDayWindow next = LocalDayWindow.of(day.plusDays(1), zone);
                assertEquals(w.toUtc(), next.fromUtc(), zone + " " + day);
                for (LocalDateTime t = w.fromUtc(); t.isBefore(w.toUtc()); t = t.plusMinutes(30)) {
                    assertEquals(day, LocalDayWindow.localDayOf(t, zone), zone + " " + t);
                }
                day = day.plusDays(1);
                w = next;
            }
        }
    }

    @Test
    void dayIsCompleteOnlyOnceItsLocalMidnightHasPassed() {
        LocalDayWindow w = LocalDayWindow.of(DAY, ATHENS);
        assertFalse(w.isCompleteAt(Instant.parse("2024-11-26T21:59:59Z")));
        assertTrue(w.isCompleteAt(Instant.parse("2024-11-26T22:00:00Z")));
    }
}
