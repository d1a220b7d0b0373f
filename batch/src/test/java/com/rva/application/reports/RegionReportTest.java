package com.rva.application.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.rva.application.reports.RegionReport.Line;
import com.rva.application.reports.RegionReport.StoreFigures;

class RegionReportTest {

    private static final LocalDate DAY = LocalDate.of(2024, 11, 26);

    private static final List<StoreFigures> STORES = List.of(
            new StoreFigures("s1", "Big <Store> & Co", 20, 12, 6, 6, 600.0, 540.0, 17),
            new StoreFigures("s2", "Split, too small", 14, 10, 2, 8, 300.0, 300.0, 9),
            new StoreFigures("s3", "Tiny", 4, 3, 3, 0, 120.0, 120.0, 11),
            new StoreFigures("s4", "Not run", null, null, null, null, null, null, null));

    private final List<List<String>> asked = new ArrayList<>();

    private RegionReport report(int k) {
        return RegionReport.of("north", "North", DAY, k, STORES, codes -> {
            asked.add(codes);
            return 19;
        });
    }

    @Test
    void smallGroupsAreSuppressedAndTotalsCoverOnlyTheStoresShown() {
        RegionReport r = report(5);
        List<Line> lines = r.lines();
        assertEquals(new Line("s1", "Big <Store> & Co", 20, 12, 6, 6, 10.0, 9.0, 17, null), lines.get(0));
        Line split = lines.get(1);
        assertEquals(14, split.visits());
        assertNull(split.newCustomers());
        assertNull(split.returningCustomers());
        Line tiny = lines.get(2);
        assertNull(tiny.visits());
        assertNull(tiny.uniqueCustomers());
        assertEquals(RegionReport.SUPPRESSED, tiny.note());
        assertEquals(RegionReport.NOT_AGGREGATED, lines.get(3).note());
        assertEquals(new RegionReport.Totals(2, 1, 1, 34, 19), r.totals());
        assertEquals(List.of(List.of("s1", "s2")), asked);
    }

    @Test
    void kOfOneShowsEverything() {
        RegionReport r = report(1);
        assertEquals(3, r.totals().storesShown());
        assertEquals(4, r.lines().get(2).visits());
        assertNull(r.lines().get(2).newCustomers(), "no returning customers: 0 < k hides the split");
        assertEquals(2, r.lines().get(1).newCustomers());
        assertThrows(IllegalArgumentException.class, () -> report(0));
    }

    @Test
    void htmlIsOneEscapedTableWithoutSuppressedFigures() {
        String html = RegionReportRenderer.html(report(5));
        assertTrue(html.contains("Big &lt;Store&gt; &amp; Co (s1)"), html);
        assertFalse(html.contains("<Store>"));
        assertTrue(html.contains(">20</td>") && html.contains(">10.0</td>") && html.contains(">17:00</td>"), html);
        assertTrue(html.contains("Tiny (s3)</td><td") && html.contains(RegionReport.SUPPRESSED), html);
        assertFalse(html.contains(">120") || html.contains(">2.0<") || html.contains(">11:00<"), "tiny store's figures");
        assertFalse(html.contains("<style") || html.contains("class="), "inline styles only");
        assertEquals(1, html.split("<table").length - 1);
    }

    @Test
    void csvHasAHeaderAndOneQuotedLinePerStore() {
        String[] lines = RegionReportRenderer.csv(report(5)).split("\r\n");
        assertEquals(5, lines.length);
        assertTrue(lines[0].startsWith("region,day,store,store_name,visits,customers,"));
        assertEquals("north,2024-11-26,s1,Big <Store> & Co,20,12,6,6,10.0,9.0,17,", lines[1]);
        assertEquals("north,2024-11-26,s2,\"Split, too small\",14,10,,,5.0,5.0,9,"
                + "new/returning: a group has fewer than k customers", lines[2]);
        assertEquals("north,2024-11-26,s3,Tiny,,,,,,,," + RegionReport.SUPPRESSED, lines[3]);
        assertEquals("'=cmd", RegionReportRenderer.cell("=cmd"));
    }
}
