package com.rva.web.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.rva.application.analytics.VisitQuery;

class RangeParametersTest {

    /** 2024-11-26 23:30 in UTC, which is already the 27th in Athens: defaults must follow UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-26T23:30:00Z"), ZoneId.of("Europe/Athens"));

    private static LocalDateTime t(String iso) {
        return LocalDateTime.parse(iso);
    }

    @Test
    void noParametersMeanTheLastSevenUtcDaysTodayIncluded() {
        VisitQuery q = RangeParameters.query(null, "  ", null, CLOCK);
        assertEquals(t("2024-11-20T00:00"), q.fromUtc());
        assertEquals(t("2024-11-27T00:00"), q.toUtc());
        assertTrue(q.allStores());
    }

    @Test
    void datesAreWholeUtcDaysWithToIncluded() {
        VisitQuery q = RangeParameters.query("2024-11-26", "2024-11-26", List.of(), CLOCK);
        assertEquals(t("2024-11-26T00:00"), q.fromUtc());
        assertEquals(t("2024-11-27T00:00"), q.toUtc());
    }

    @Test
    void dateTimesAreUtcAndToIsExclusive() {
        VisitQuery q = RangeParameters.query("2024-11-26T10:05:00", "2024-11-26T10:06", null, CLOCK);
        assertEquals(t("2024-11-26T10:05"), q.fromUtc());
        assertEquals(t("2024-11-26T10:06"), q.toUtc());
    }

    @Test
    void dateTimesWithAnOffsetAreConvertedToUtc() {
        VisitQuery q = RangeParameters.query("2024-11-26T12:05:00+02:00", "2024-11-26T11:00:00Z", null, CLOCK);
        assertEquals(t("2024-11-26T10:05"), q.fromUtc());
        assertEquals(t("2024-11-26T11:00"), q.toUtc());
        // an unencoded '+' in a query string arrives as a space
        assertEquals(t("2024-11-26T10:05"), RangeParameters.query("2024-11-26T12:05:00 02:00", "2024-11-27", null,
                CLOCK).fromUtc());
    }

    @Test
    void aMalformedBoundIsRefusedNamingTheParameter() {
        for (String bad : List.of("yesterday", "2024-13-01", "2024-02-30", "26.11.2024", "2024-11-26T25:00")) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> RangeParameters.query(bad, null, null, CLOCK), bad);
            assertEquals("from", e.getParameter());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> RangeParameters.query("2024-11-01", "soon", null, CLOCK));
        assertEquals("to", e.getParameter());
    }

    @Test
    void anEmptyOrInvertedRangeIsRefusedNamingTo() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> RangeParameters.query("2024-11-26T10:00", "2024-11-26T10:00", null, CLOCK));
        assertEquals("to", e.getParameter());
        assertEquals("to", assertThrows(InvalidParameterException.class,
                () -> RangeParameters.query("2024-11-27", "2024-11-26", null, CLOCK)).getParameter());
        // only 'from' given, after today: the default 'to' (end of today) is before it
        assertEquals("to", assertThrows(InvalidParameterException.class,
                () -> RangeParameters.query("2024-12-01", null, null, CLOCK)).getParameter());
    }

    @Test
    void storesAreCommaSeparatedOrRepeatedAndDeduplicated() {
        assertEquals(Set.of("store_001", "store_002", "store_003"),
                RangeParameters.storeCodes(Arrays.asList("store_001, store_002", null, "store_003,,store_001", " ")));
        assertEquals(List.of("store_002", "store_001"),
                List.copyOf(RangeParameters.storeCodes(List.of("store_002,store_001"))));
        VisitQuery q = RangeParameters.query(null, null, List.of("store_002,store_001"), CLOCK);
        assertEquals(List.of("store_001", "store_002"), List.copyOf(q.storeCodes()));
        assertEquals("stores", assertThrows(InvalidParameterException.class,
                () -> RangeParameters.storeCodes(List.of("x".repeat(65)))).getParameter());
    }

    @Test
    void storeCodesJoinForUrlsAndVanishWhenEmpty() {
        assertEquals("store_001,store_002", RangeParameters.joinStoreCodes(List.of("store_001", "store_002")));
        assertNull(RangeParameters.joinStoreCodes(List.of()));
        assertNull(RangeParameters.joinStoreCodes(null));
    }
}
