package com.rva.web.portal;

import java.util.List;

import com.rva.application.analytics.DashboardFigures;
import com.rva.application.analytics.DashboardPage;
import com.rva.application.analytics.DayFigures;
import com.rva.application.analytics.StoreFigures;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** The dashboard: visits, unique customers, returning rate, the daily trend and a per-store chart. */
@Named
@ViewScoped
public class DashboardView extends FilteredView {

    private static final long serialVersionUID = 1L;

    private DashboardFigures figures;
    private List<DayFigures> trend = List.of();
    private List<StoreFigures> perStore = List.of();

    @Override
    protected String page() {
        return "dashboard";
    }

    @Override
    protected void onLoad() {
        // one read of the precomputed days for all three (VisitAnalyticsService.dashboardPage)
        DashboardPage page = analytics.dashboardPage(query());
        figures = page.figures();
        trend = page.trend();
        perStore = page.stores();
    }

    public DashboardFigures getFigures() {
        return figures;
    }

    /** The returning rate in percent with one decimal, e.g. {@code 42.5 %}. */
    public String getReturningRate() {
        return figures == null ? "" : String.format(java.util.Locale.ROOT, "%.1f %%", 100 * figures.returningRate());
    }

    public List<DayFigures> getTrend() {
        return trend;
    }

    public List<StoreFigures> getPerStore() {
        return perStore;
    }

    public String getTrendChart() {
        return ChartJson.chart("line", trend.stream().map(d -> d.dayUtc().toString()).toList(), List.of(
                new ChartJson.Series("Visits", "#1f77b4", ChartJson.values(trend, DayFigures::visits)),
                new ChartJson.Series("Unique customers", "#ff7f0e",
                        ChartJson.values(trend, DayFigures::uniqueCustomers))));
    }

    /**
     * The per-store chart shows at most this many stores: a bar per store stays readable for a region (50 stores),
     * not for a chain of 1,000, whose bars (and their 1,000 labels in the page) said nothing and cost rendering. The
     * stores page has every store's figures in a table.
     */
    static final int CHART_STORES = 25;

    /** The stores of the chart: all of them up to {@link #CHART_STORES}, else that many with the most visits. */
    static List<StoreFigures> chartStores(List<StoreFigures> stores) {
        if (stores.size() <= CHART_STORES) {
            return stores;
        }
        return stores.stream()
                .sorted(java.util.Comparator.comparingLong(StoreFigures::visits).reversed()
                        .thenComparing(StoreFigures::code))
                .limit(CHART_STORES).toList();
    }

    /** The chart's title: "Per store", or which stores it shows when not all. */
    public String getStoreChartTitle() {
        return perStore.size() <= CHART_STORES ? "Per store"
                : String.format(java.util.Locale.ROOT, "Per store: the %d with the most visits of %,d", CHART_STORES,
                        perStore.size());
    }

    /** Whether the chart leaves stores out (then the page links to the stores page, which has them all). */
    public boolean isStoreChartPartial() {
        return perStore.size() > CHART_STORES;
    }

    public String getStoreChart() {
        List<StoreFigures> shown = chartStores(perStore);
        return ChartJson.chart("bar", shown.stream().map(StoreFigures::code).toList(), List.of(
                new ChartJson.Series("Visits", "#1f77b4", ChartJson.values(shown, StoreFigures::visits)),
                new ChartJson.Series("Unique customers", "#ff7f0e",
                        ChartJson.values(shown, StoreFigures::uniqueCustomers))));
    }
}
