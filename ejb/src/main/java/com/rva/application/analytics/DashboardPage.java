package com.rva.application.analytics;

import java.io.Serializable;
import java.util.List;

/** What the dashboard shows for one {@link VisitQuery}: headline figures, daily trend, per-store figures. */
public record DashboardPage(DashboardFigures figures, List<DayFigures> trend, List<StoreFigures> stores)
        implements Serializable {

    public DashboardPage {
        trend = List.copyOf(trend);
        stores = List.copyOf(stores);
    }
}
