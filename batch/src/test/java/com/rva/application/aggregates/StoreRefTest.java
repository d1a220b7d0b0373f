package com.rva.application.aggregates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class StoreRefTest {

    @Test
    void zoneIsParsedWhenUsed() {
        assertEquals(ZoneId.of("Europe/Athens"), new StoreRef(2, "store_002", "Europe/Athens").zone());
    }

    @Test
    void invalidZoneNamesTheStore() {
        StoreRef broken = new StoreRef(7, "store_007", "Mars/Olympus_Mons");
        IllegalStateException e = assertThrows(IllegalStateException.class, broken::zone);
        assertTrue(e.getMessage().contains("store_007") && e.getMessage().contains("Mars/Olympus_Mons"), e.getMessage());
    }
}
