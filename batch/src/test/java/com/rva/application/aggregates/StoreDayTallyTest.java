package com.rva.application.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreDayTallyTest {

    private static final ZoneId ATHENS = ZoneId.of("Europe/Athens");
    private static final StoreRef STORE = new StoreRef(2, "store_002", ATHENS);
    private static final LocalDayWindow WINDOW = LocalDayWindow.of(LocalDate.of(2024, 11, 26), ATHENS);

    @Test
    void visitsAreSummedAndCustomersCounted() {
        StoreDayTally t = StoreDayTally.of(STORE, WINDOW, Map.of(123L, 2L, 7L, 1L, 9L, 3L), 17);
        assertEquals(6, t.visits());
        assertEquals(3, t.uniqueCustomers());
        assertEquals(17, t.sightings());
        assertEquals(Map.of(7L, 1, 9L, 3, 123L, 2), t.visitsByCustomer());
    }

    @Test
    void emptyDayIsAllZeros() {
        StoreDayTally t = StoreDayTally.of(STORE, WINDOW, Map.of(), 0);
        assertEquals(0, t.visits());
        assertEquals(0, t.uniqueCustomers());
        assertEquals(0, t.sightings());
    }

    @Test
    void nonPositiveVisitCountIsABug() {
        assertThrows(IllegalArgumentException.class, () -> StoreDayTally.of(STORE, WINDOW, Map.of(1L, 0L), 0));
    }
}
