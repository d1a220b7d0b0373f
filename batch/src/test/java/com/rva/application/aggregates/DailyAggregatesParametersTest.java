package com.rva.application.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.rva.application.batch.JobParameterException;

class DailyAggregatesParametersTest {

    // 2024-11-27 01:00 in Berlin, still the 26th in UTC
    private static final Clock BERLIN_CLOCK = Clock.fixed(Instant.parse("2024-11-27T00:00:00Z"),
            ZoneId.of("Europe/Berlin"));

    @Test
    void missingDayMeansYesterdayOnTheServersClock() {
        assertEquals(LocalDate.of(2024, 11, 26), DailyAggregatesParameters.day(null, BERLIN_CLOCK));
        assertEquals(LocalDate.of(2024, 11, 26), DailyAggregatesParameters.day("  ", BERLIN_CLOCK));
        Clock utc = Clock.fixed(Instant.parse("2024-11-27T00:00:00Z"), ZoneId.of("UTC"));
        assertEquals(LocalDate.of(2024, 11, 26), DailyAggregatesParameters.day("", utc));
    }

    @Test
    void fromStartsARangeEndingAtTheDay() {
        LocalDate day = LocalDate.of(2024, 11, 26);
        assertEquals(day, DailyAggregatesParameters.from(null, day));
        assertEquals(day, DailyAggregatesParameters.from(" ", day));
        assertEquals(LocalDate.of(2023, 11, 27), DailyAggregatesParameters.from("2023-11-27", day));
        for (String bad : List.of("2024-11-27", "27.11.2023", "2013-11-26")) {
            JobParameterException e = assertThrows(JobParameterException.class,
                    () -> DailyAggregatesParameters.from(bad, day));
            assertEquals(DailyAggregatesParameters.FROM, e.getParameter(), e.getMessage());
        }
    }

    @Test
    void isoDayIsTakenAsItIs() {
        assertEquals(LocalDate.of(2024, 11, 26), DailyAggregatesParameters.day(" 2024-11-26 ", BERLIN_CLOCK));
        assertEquals(LocalDate.of(2024, 11, 27), DailyAggregatesParameters.day("2024-11-27", BERLIN_CLOCK));
    }

    @Test
    void malformedDayIsRefusedNamingTheParameter() {
        for (String bad : List.of("26.11.2024", "2024-13-01", "2024-11-31", "yesterday", "2024-11-26T10:00")) {
            JobParameterException e = assertThrows(JobParameterException.class,
                    () -> DailyAggregatesParameters.day(bad, BERLIN_CLOCK));
            assertEquals("day", e.getParameter());
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void futureDayIsRefused() {
        JobParameterException e = assertThrows(JobParameterException.class,
                () -> DailyAggregatesParameters.day("2024-11-28", BERLIN_CLOCK));
        assertEquals("day", e.getParameter());
        assertTrue(e.getMessage().contains("future"), e.getMessage());
    }

    @Test
    void storeCodesAreTrimmedAndDeduplicatedInOrder() {
        assertEquals(List.of(), DailyAggregatesParameters.storeCodes(null));
        assertEquals(List.of(), DailyAggregatesParameters.storeCodes(" "));
        assertEquals(List.of("store_002", "store_001"),
                DailyAggregatesParameters.storeCodes(" store_002, store_001,,store_002 "));
        assertEquals("store_002,store_001", DailyAggregatesParameters.joinStoreCodes(List.of("store_002", "store_001")));
    }

    @Test
    void storeCodeWithForbiddenCharactersIsRefusedNamingTheParameter() {
        JobParameterException e = assertThrows(JobParameterException.class,
                () -> DailyAggregatesParameters.storeCodes("store_001,store 2"));
        assertEquals("stores", e.getParameter());
    }
}
