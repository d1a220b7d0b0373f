package com.rva.application.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SettingsCacheTest {

    private static final Setting[] INGEST = {Setting.MATCH_THRESHOLD, Setting.TEMPLATES_PER_CUSTOMER,
            Setting.VISIT_GAP_MINUTES};

    @Test
    void getAllReadsEachSettingOnceThenAnswersFromTheCacheUntilInvalidated() {
        SettingsCache cache = new SettingsCache();
        List<Setting> reads = new ArrayList<>();
        String[] first = cache.getAll(INGEST, s -> {
            reads.add(s);
            return s.key() + "#" + reads.size();
        });
        assertArrayEquals(new String[] {"match.threshold#1", "match.templates-per-customer#2", "visit.gap-minutes#3"},
                first);
        assertArrayEquals(first, cache.getAll(INGEST, s -> {
            reads.add(s);
            return "again";
        }), "cached values, no read");
        assertEquals(3, reads.size());
        assertEquals("match.threshold#1", cache.get(Setting.MATCH_THRESHOLD, () -> "other"),
                "one cache for get and getAll");

        cache.invalidate();
        assertArrayEquals(new String[] {"new", "new", "new"}, cache.getAll(INGEST, s -> "new"));
    }
}
