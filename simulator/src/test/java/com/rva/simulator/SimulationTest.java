package com.rva.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void readsThePagesOfTheVisitsApi() {
        String page = "{\"first\":0,\"items\":[{\"customerId\":7,\"dwellSeconds\":300,\"endedLocal\":"
                + "\"2026-11-28T09:05:00+01:00\",\"endedUtc\":\"2026-11-28T08:05:00\",\"sightings\":4,\"startedLocal\":"
                + "\"2026-11-28T09:00:00+01:00\",\"startedUtc\":\"2026-11-28T08:00:00.5\",\"store\":\"store_002\","
                + "\"visitId\":12},{\"customerId\":9,\"endedUtc\":\"2026-11-28T10:00:00\",\"startedUtc\":"
                + "\"2026-11-28T09:59:00\",\"store\":\"store_001\",\"visitId\":13}],\"size\":1000,\"total\":2}";
        List<Simulation.ServerVisit> visits = Simulation.parseVisits(page);
        assertEquals(List.of(
                new Simulation.ServerVisit(7, "store_002", Instant.parse("2026-11-28T08:00:00.500Z"),
                        Instant.parse("2026-11-28T08:05:00Z")),
                new Simulation.ServerVisit(9, "store_001", Instant.parse("2026-11-28T09:59:00Z"),
                        Instant.parse("2026-11-28T10:00:00Z"))), visits);
    }
}
