package com.rva.application.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StoreDayTallyTest {

    private static final ZoneId ATHENS = ZoneId.of("Europe/Athens");
    private static final StoreRef STORE = new StoreRef(2, "store_002", ATHENS);
    private static final LocalDate DAY = LocalDate.of(2024, 11, 26);
    private static final LocalDayWindow WINDOW = LocalDayWindow.of(DAY, ATHENS);

    /** A visit starting at local {@code hh:mm} of DAY in Athens and lasting {@code minutes}. */
    private static VisitSpan visit(long customer, int hh, int mm, int minutes) {
        LocalDateTime start = DAY.atTime(hh, mm).atZone(ATHENS).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        return new VisitSpan(customer, start, start.plusMinutes(minutes));
    }

    @Test
    void visitsCustomersDwellAndBusiestHourOfTheLocalDay() {
        List<VisitSpan> visits = List.of(visit(123, 10, 5, 10), visit(123, 15, 0, 20), visit(7, 10, 50, 5),
                visit(9, 0, 10, 40), visit(9, 15, 30, 1), visit(9, 23, 59, 2));
        StoreDayTally t = StoreDayTally.of(STORE, WINDOW, visits, Set.of(9L, 555L), 17);
        assertEquals(6, t.visits());
        assertEquals(3, t.uniqueCustomers());
        assertEquals(2, t.newCustomers());
        assertEquals(1, t.returningCustomers());
        assertEquals(17, t.sightings());
        assertEquals(Map.of(7L, 1, 9L, 3, 123L, 2), t.visitsByCustomer());
        assertEquals((10 + 20 + 5 + 40 + 1 + 2) * 60 / 6.0, t.avgDwellSeconds(), 1e-9);
        assertEquals((5 + 10) * 60 / 2.0, t.medianDwellSeconds(), 1e-9); // 1 2 5 | 10 20 40
        // two visits started at 10:xx and two at 15:xx local time: the earlier hour wins the tie
        assertEquals(10, t.busiestHour());
    }

    @Test
    void oddCountMedianIsTheMiddleVisit() {
        StoreDayTally t = StoreDayTally.of(STORE, WINDOW, List.of(visit(1, 9, 0, 3), visit(2, 9, 0, 30),
                visit(3, 23, 0, 7), visit(3, 23, 10, 7), visit(3, 23, 20, 7)), Set.of(), 0);
        assertEquals(7 * 60, t.medianDwellSeconds(), 1e-9);
        assertEquals(23, t.busiestHour());
        assertEquals(3, t.newCustomers());
    }

    @Test
    void emptyDayIsAllZerosAndNoDwell() {
        StoreDayTally t = StoreDayTally.of(STORE, WINDOW, List.of(), Set.of(1L), 0);
        assertEquals(0, t.visits());
        assertEquals(0, t.uniqueCustomers());
        assertEquals(0, t.newCustomers());
        assertEquals(0, t.sightings());
        assertNull(t.avgDwellSeconds());
        assertNull(t.medianDwellSeconds());
        assertNull(t.busiestHour());
    }

    @Test
    void aVisitOutsideTheWindowIsABug() {
        VisitSpan nextDay = new VisitSpan(1, WINDOW.toUtc(), WINDOW.toUtc().plusMinutes(1));
        assertThrows(IllegalArgumentException.class, () -> StoreDayTally.of(STORE, WINDOW, List.of(nextDay), Set.of(), 0));
    }
}
