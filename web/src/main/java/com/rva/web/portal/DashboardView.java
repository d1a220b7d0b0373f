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

    public String getStoreChart() {
        return ChartJson.chart("bar", perStore.stream().map(StoreFigures::code).toList(), List.of(
                new ChartJson.Series("Visits", "#1f77b4", ChartJson.values(perStore, StoreFigures::visits)),
                new ChartJson.Series("Unique customers", "#ff7f0e",
                        ChartJson.values(perStore, StoreFigures::uniqueCustomers))));
    }
}
