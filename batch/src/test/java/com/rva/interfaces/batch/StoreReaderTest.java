package com.rva.interfaces.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.rva.application.aggregates.StoreRef;

class StoreReaderTest {

    private static final List<StoreRef> STORES = List.of(
            new StoreRef(1, "store_001", ZoneId.of("Europe/Berlin")),
            new StoreRef(2, "store_002", ZoneId.of("Europe/Athens")),
            new StoreRef(1005, "store_003", ZoneId.of("Europe/Lisbon")));

    @Test
    void withoutCheckpointEveryStoreIsRead() {
        assertEquals(STORES, StoreReader.remainingAfter(STORES, null));
    }

    @Test
    void restartGoesOnAfterTheCheckpointedStore() {
        assertEquals(STORES.subList(2, 3), StoreReader.remainingAfter(STORES, 2L));
        assertEquals(STORES.subList(1, 3), StoreReader.remainingAfter(STORES, 1L));
        assertEquals(List.of(), StoreReader.remainingAfter(STORES, 1005L));
    }
}
