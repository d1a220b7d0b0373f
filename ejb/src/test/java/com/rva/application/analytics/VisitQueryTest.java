package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class VisitQueryTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2024, 11, 26, 0, 0);

    @Test
    void anEmptyOrInvertedRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> VisitQuery.of(T0, T0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> VisitQuery.of(T0.plusDays(1), T0, List.of()));
    }

    @Test
    void storeCodesAreSortedAndNoneMeansAll() {
        VisitQuery q = VisitQuery.of(T0, T0.plusDays(1), List.of("store_002", "store_001", "store_002"));
        assertEquals(List.of("store_001", "store_002"), List.copyOf(q.storeCodes()));
        assertTrue(VisitQuery.of(T0, T0.plusDays(1), null).allStores());
    }

    @Test
    void breakdownListsStoresByCode() {
        TreeMap<String, Long> byStore = new TreeMap<>();
        byStore.put("store_002", 1L);
        byStore.put("store_001", 2L);
        CustomerVisits c = new CustomerVisits(123, 3, 9, T0, T0.plusHours(1), byStore);
        assertEquals("store_001: 2, store_002: 1", c.storeBreakdown());
        assertEquals(3, new CustomerAppearances(123, byStore).totalAppearances());
    }

    @Test
    void sortColumnsMapToSorts() {
        assertEquals(CustomerVisitsSort.VISITS, CustomerVisitsSort.byField("visits"));
        assertEquals(CustomerVisitsSort.FIRST_SEEN, CustomerVisitsSort.byField("firstSeenUtc"));
        assertEquals(CustomerVisitsSort.CUSTOMER_ID, CustomerVisitsSort.byField("customerId"));
        assertThrows(IllegalArgumentException.class, () -> CustomerVisitsSort.byField("storeBreakdown"));
    }
}
