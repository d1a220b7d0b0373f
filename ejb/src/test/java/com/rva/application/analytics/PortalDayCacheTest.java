package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link PortalDayCache}: days are handed out only under the version they were read under; the budget drops days. */
class PortalDayCacheTest {

    private static final LocalDate D = LocalDate.of(2026, 10, 1);
    private static final LocalDateTime T = LocalDateTime.of(2026, 10, 2, 3, 0);

    private static Map<Long, PortalDayCache.Row> stores(int... sizes) {
        Map<Long, PortalDayCache.Row> m = new java.util.HashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            m.put((long) i + 1, new PortalDayCache.Row(T, new byte[sizes[i]]));
        }
        return m;
    }

    @Test
    void daysAreHeldUnderTheVersionReadBeforeThem() {
        PortalDayCache cache = new PortalDayCache(1 << 20);
        assertNull(cache.day(7, D), "nothing held yet");
        Map<Long, PortalDayCache.Row> day = stores(10, 20);
        cache.put(7, D, day);
        assertEquals(day, cache.day(7, D));
        assertSame(day.get(1L), cache.day(7, D).get(1L));
        assertNull(cache.day(7, D.plusDays(1)), "another day");
        assertEquals(30, cache.bytes());
        // a writer moved the version: everything goes
        assertNull(cache.day(8, D));
        assertEquals(0, cache.bytes());
        assertEquals(0, cache.dayCount());
        // a day read under an older version than the one seen since is not held
        cache.put(7, D, day);
        assertNull(cache.day(8, D));
        cache.put(8, D, day);
        assertNotNull(cache.day(8, D));
    }

    @Test
    void overTheBudgetTheLeastRecentlyUsedDaysGo() {
        PortalDayCache cache = new PortalDayCache(1000);
        cache.day(1, D);
        for (int d = 0; d < 3; d++) {
            cache.put(1, D.plusDays(d), stores(300, 100));
        }
        assertEquals(2, cache.dayCount(), "the first day went when the third came");
        assertEquals(800, cache.bytes());
        assertNull(cache.day(1, D));
        assertNotNull(cache.day(1, D.plusDays(1)), "used now: the third day is the least recently used");
        cache.put(1, D.plusDays(3), stores(400));
        assertNotNull(cache.day(1, D.plusDays(1)));
        assertNull(cache.day(1, D.plusDays(2)));
        assertEquals(800, cache.bytes());
        // a day larger than the budget on its own is kept until the next one comes
        PortalDayCache small = new PortalDayCache(100);
        small.day(1, D);
        small.put(1, D, stores(150));
        assertEquals(150, small.bytes());
        small.put(1, D.plusDays(1), stores(50));
        assertEquals(50, small.bytes());
    }

    @Test
    void aBudgetOfNothingHoldsNothing() {
        PortalDayCache off = new PortalDayCache(0);
        assertFalse(off.enabled());
        off.day(1, D);
        off.put(1, D, stores(10));
        assertNull(off.day(1, D));
        assertEquals(0, off.bytes());
    }
}
