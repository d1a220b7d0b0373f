package com.rva.web.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PortalUnitTest {

    @Test
    void passwordRules() {
        assertEquals("Enter your current password", PasswordView.problem("", "a-long-enough-one", "a-long-enough-one"));
        assertTrue(PasswordView.problem("old", "short", "short").contains("12 to 200"));
        assertTrue(PasswordView.problem("old", "x".repeat(201), "x".repeat(201)).contains("12 to 200"));
        assertEquals("The two new passwords differ", PasswordView.problem("old", "a-long-enough-one", "a-long-enough-two"));
        assertTrue(PasswordView.problem("a-long-enough-one", "a-long-enough-one", "a-long-enough-one").contains("differ"));
        assertNull(PasswordView.problem("old", "a-long-enough-one", "a-long-enough-one"));
    }

    @Test
    void chartLabelsCannotCloseTheScriptTheyLiveIn() {
        String json = ChartJson.chart("bar", List.of("</script><script>alert(1)</script>", "a\"b"),
                List.of(new ChartJson.Series("Visits", "#123456", List.of(1.0, 2.0))));
        assertFalse(json.contains("<"), json);
        assertTrue(json.contains("\\u003c/script>"), json);
        assertTrue(json.contains("a\\\"b"), json);
        assertTrue(json.startsWith("{\"type\":\"bar\""), json);
    }

    @Test
    void theStoreChartShowsTheStoresWithTheMostVisitsWhenThereAreMany() {
        List<com.rva.application.analytics.StoreFigures> few = stores(DashboardView.CHART_STORES);
        assertEquals(few, DashboardView.chartStores(few), "a region's stores: every one, in their order");
        List<com.rva.application.analytics.StoreFigures> many = stores(1_000);
        List<com.rva.application.analytics.StoreFigures> shown = DashboardView.chartStores(many);
        assertEquals(DashboardView.CHART_STORES, shown.size());
        // visits are code number % 97: the most (96) first, ties by code
        assertEquals("s0096", shown.get(0).code());
        assertEquals("s0193", shown.get(1).code());
        for (int i = 1; i < shown.size(); i++) {
            assertTrue(shown.get(i - 1).visits() >= shown.get(i).visits(), "by visits, most first");
        }
        long least = shown.get(shown.size() - 1).visits();
        assertEquals(DashboardView.CHART_STORES, many.stream().filter(s -> s.visits() > least).count()
                + shown.stream().filter(s -> s.visits() == least).count(), "no store with more visits left out");
    }

    private static List<com.rva.application.analytics.StoreFigures> stores(int n) {
        List<com.rva.application.analytics.StoreFigures> out = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new com.rva.application.analytics.StoreFigures(String.format("s%04d", i), "Store " + i, "r1", "UTC",
                    i % 97, i % 13, i));
        }
        return out;
    }
}
