package com.rva.interfaces.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.rva.application.aggregates.StoreDays;
import com.rva.application.aggregates.StoreRef;

class StoreDayReaderTest {

    private static final LocalDate DAY = LocalDate.of(2024, 11, 26);
    private static final StoreRef S1 = new StoreRef(1, "store_001", ZoneId.of("Europe/Berlin"));
    private static final StoreRef S2 = new StoreRef(2, "store_002", ZoneId.of("Europe/Athens"));
    private static final StoreRef S3 = new StoreRef(1005, "store_003", ZoneId.of("Europe/Lisbon"));
    private static final List<StoreRef> STORES = List.of(S1, S2, S3);

    private static final Map<Long, SortedSet<LocalDate>> STALE = Map.of(2L,
            new TreeSet<>(List.of(DAY.minusDays(10), DAY.minusDays(1))), 1005L, new TreeSet<>(List.of(DAY.plusDays(1))));

    private static final List<StoreDays> ITEMS = List.of(days(S1, DAY), days(S2, DAY.minusDays(10), DAY.minusDays(1), DAY),
            days(S3, DAY));

    private static StoreDays days(StoreRef store, LocalDate... days) {
        return new StoreDays(store, new TreeSet<>(List.of(days)));
    }

    @Test
    void eachStoreItsStaleDaysThenTheRunDayAndNoDayAfterIt() {
        assertEquals(ITEMS, StoreDayReader.items(STORES, DAY, STALE));
    }

    @Test
    void aBackfillGivesEachStoreItsRangeAndStaleDaysBeforeIt() {
        List<StoreDays> items = StoreDayReader.items(STORES, DAY.minusDays(2), DAY, STALE);
        assertEquals(List.of(days(S1, DAY.minusDays(2), DAY.minusDays(1), DAY),
                days(S2, DAY.minusDays(10), DAY.minusDays(2), DAY.minusDays(1), DAY), days(S3, DAY.minusDays(2),
                        DAY.minusDays(1), DAY)), items);
        // runs of consecutive days: the stale day on its own, then the range
        assertEquals(List.of(new StoreDays.Run(S2, DAY.minusDays(10), DAY.minusDays(10)),
                new StoreDays.Run(S2, DAY.minusDays(2), DAY)), items.get(1).runs());
        assertEquals(List.of(new StoreDays.Run(S1, DAY.minusDays(2), DAY)), items.get(0).runs());
    }

    @Test
    void withoutCheckpointEveryStoreDayIsRead() {
        assertEquals(ITEMS, StoreDayReader.remainingAfter(ITEMS, null));
    }

    @Test
    void restartGoesOnAfterTheCheckpointedStore() {
        assertEquals(ITEMS.subList(2, 3), StoreDayReader.remainingAfter(ITEMS, "2"));
        assertEquals(ITEMS.subList(1, 3), StoreDayReader.remainingAfter(ITEMS, "1"));
        assertEquals(List.of(), StoreDayReader.remainingAfter(ITEMS, "1005"));
        assertEquals("2", ITEMS.get(1).key());
    }

    @Test
    void aCheckpointOfTheFormerStoreDayItemsRedoesThatStoreInFull() {
        assertEquals(ITEMS.subList(1, 3), StoreDayReader.remainingAfter(ITEMS, "2/" + DAY.minusDays(1)));
        assertEquals(List.of(), StoreDayReader.remainingAfter(ITEMS, "1006/" + DAY));
    }

    @Test
    void storeIdsOfThePartitionPlan() {
        assertEquals(List.of(1L, 1005L), StoreDayReader.parseIds(" 1,1005 ,"));
        assertEquals(List.of(), StoreDayReader.parseIds(""));
        assertEquals(List.of(), StoreDayReader.parseIds(null));
    }

    @Test
    void storesGoRoundRobinOverThePartitions() {
        assertEquals(List.of(List.of(1L, 3L, 5L), List.of(2L, 4L)),
                DailyAggregatesPartitionMapper.split(List.of(1L, 2L, 3L, 4L, 5L), 2));
        assertEquals(List.of(List.of(7L)), DailyAggregatesPartitionMapper.split(List.of(7L), 4));
        assertEquals(List.of(List.of()), DailyAggregatesPartitionMapper.split(List.of(), 2));
    }
}
