package com.rva.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulationPlanTest {

    private static final List<String> CUSTOMERS = IntStream.range(0, 18).mapToObj(i -> "c" + i).toList();
    private static final List<String> STORES = List.of("s1", "s2", "s3");
    private static final Duration GAP = Duration.ofMinutes(30);

    private static SimulationPlan plan(long seed) {
        return SimulationPlan.generate(CUSTOMERS, STORES, LocalDate.of(2026, 3, 2), 3, 10, GAP,
                List.of("1.jpg", "2.jpg", "3.jpg"), seed);
    }

    @Test
    void aReturnToTheSameStoreComesLaterThanTheVisitGapSoTheTruthMatchesTheProductsDefinition() {
        for (long seed = 0; seed < 20; seed++) {
            SimulationPlan p = plan(seed);
            for (SimulationPlan.Stay a : p.stays()) {
                for (SimulationPlan.Stay b : p.stays()) {
                    if (a == b || !a.customer().equals(b.customer())) {
                        continue;
                    }
                    assertFalse(a.start().isBefore(b.end()) && b.start().isBefore(a.end()),
                            "nobody is in two places at once: " + a + " / " + b);
                    if (a.storeId().equals(b.storeId()) && a.end().isBefore(b.start())) {
                        assertTrue(Duration.between(a.end(), b.start()).compareTo(GAP) > 0,
                                "a second visit to the same store is more than the gap later: " + a + " / " + b);
                    }
                }
            }
        }
    }

    @Test
    void staysFitTheOpeningHoursTheCameraAndLastLongerThanACameraInterval() {
        SimulationPlan p = plan(42);
        assertTrue(p.stays().size() > 30, "18 customers over 3 days make many visits: " + p.stays().size());
        for (SimulationPlan.Stay s : p.stays()) {
            assertTrue(Duration.between(s.start(), s.end()).compareTo(Duration.ofSeconds(30)) > 0, s.toString());
            int day = (int) Duration.between(p.opening(0), s.start()).toDays();
            assertFalse(s.start().isBefore(p.opening(day)), s.toString());
            assertFalse(s.end().isAfter(p.closing(day)), s.toString());
            for (Instant t = s.start(); t.isBefore(s.end()); t = t.plusSeconds(10)) {
                assertTrue(p.present(s.storeId(), t).size() <= StoreDayPlan.MAX_PRESENT);
            }
            if (s.stillFrom() != null) {
                assertTrue(s.covers(s.stillFrom()) && !s.stillTo().isAfter(s.end()), "still within the stay: " + s);
                assertTrue(Duration.between(s.stillFrom(), s.stillTo()).toMinutes() >= 2, "still for minutes: " + s);
            }
        }
    }

    @Test
    void thePlanHasReturningCustomersCrossStoreCustomersAndCustomersStandingStill() {
        SimulationPlan p = plan(42);
        Map<String, Map<String, Integer>> truth = p.visitsByCustomerAndStore();
        assertTrue(truth.values().stream().anyMatch(m -> m.size() > 1), "someone visits two stores");
        assertTrue(truth.values().stream().anyMatch(m -> m.values().stream().anyMatch(n -> n > 1)),
                "someone comes back to a store");
        assertTrue(p.stays().stream().anyMatch(s -> s.stillFrom() != null), "someone stands still");
        assertEquals(p.stays().size(), truth.values().stream().flatMap(m -> m.values().stream())
                .mapToInt(Integer::intValue).sum());
        assertEquals(plan(42).stays(), p.stays(), "the same seed plays the same days");
    }

    @Test
    void groupsPassWhenNoStayAtThatStoreIsWithinTheVisitGapSoWhoeverIsInThePhotoTheVisitCountHolds() {
        int passes = 0;
        for (long seed = 0; seed < 20; seed++) {
            SimulationPlan p = SimulationPlan.generate(CUSTOMERS, STORES, LocalDate.of(2026, 3, 2), 2, 2, GAP,
                    List.of("1.jpg", "2.jpg", "3.jpg", "4.jpg"), seed);
            passes += p.groups().size();
            for (SimulationPlan.GroupPass g : p.groups()) {
                for (SimulationPlan.Stay s : p.stays()) {
                    if (s.storeId().equals(g.storeId())) {
                        boolean clear = !s.end().isAfter(g.at().minus(GAP))
                                || !s.start().isBefore(g.at().plus(SimulationPlan.GROUP_PASS_SPAN).plus(GAP));
                        assertTrue(clear, "stay " + s + " is within the visit gap of " + g);
                    }
                }
            }
        }
        assertTrue(passes >= 10, "groups still pass on short days: " + passes + " passes in 20 plans");
    }

    @Test
    void refusesAnEmptyCast() {
        assertThrows(IllegalArgumentException.class, () -> SimulationPlan.generate(List.of(), STORES,
                LocalDate.of(2026, 3, 2), 1, 10, GAP, List.of(), 1));
    }
}
