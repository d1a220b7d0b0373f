package com.rva.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StoreDayPlanTest {

    private static final List<String> STORES = List.of("store_001", "store_002");

    @Test
    void aDayHasCrossStoreAndReturningCustomersWithinCapacity() {
        for (long seed = 0; seed < 20; seed++) {
            StoreDayPlan plan = StoreDayPlan.generate(DemoFaces.BUNDLED, STORES, 120, seed);
            Map<String, List<StoreDayPlan.Visit>> byCustomer = plan.visits().stream()
                    .collect(Collectors.groupingBy(StoreDayPlan.Visit::customer));
            assertTrue(byCustomer.values().stream().anyMatch(v -> v.stream().map(StoreDayPlan.Visit::storeId)
                    .distinct().count() == 2), "seed " + seed + ": somebody visits both stores");
            assertTrue(byCustomer.values().stream().anyMatch(v -> v.size() == 2
                    && v.get(0).storeId().equals(v.get(1).storeId())), "seed " + seed + ": somebody comes back");
            for (int t = 0; t < plan.ticks(); t++) {
                for (String store : STORES) {
                    assertTrue(plan.present(store, t).size() <= StoreDayPlan.MAX_PRESENT);
                }
                final int tick = t;
                for (List<StoreDayPlan.Visit> visits : byCustomer.values()) {
                    assertTrue(visits.stream().filter(v -> v.covers(tick)).count() <= 1, "nobody is in two places");
                }
            }
            for (StoreDayPlan.Visit v : plan.visits()) {
                int stay = v.end() - v.start();
                assertTrue(stay >= StoreDayPlan.MIN_STAY && stay <= StoreDayPlan.MAX_STAY, v.toString());
                assertTrue(v.start() >= 0 && v.end() <= plan.ticks(), v.toString());
            }
        }
    }

    @Test
    void theSameSeedPlaysTheSameDay() {
        assertEquals(StoreDayPlan.generate(DemoFaces.BUNDLED, STORES, 60, 7).visits(),
                StoreDayPlan.generate(DemoFaces.BUNDLED, STORES, 60, 7).visits());
        assertFalse(StoreDayPlan.generate(DemoFaces.BUNDLED, STORES, 60, 7).visits()
                .equals(StoreDayPlan.generate(DemoFaces.BUNDLED, STORES, 60, 8).visits()));
    }
}
