package com.rva.web.portal;

import java.util.List;

import com.rva.application.analytics.StoreFigures;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** The stores page: per-store figures side by side, and a chart to compare them. */
@Named
@ViewScoped
public class StoresView extends FilteredView {

    private static final long serialVersionUID = 1L;

    private List<StoreFigures> stores = List.of();

    @Override
    protected String page() {
        return "stores";
    }

    @Override
    protected void onLoad() {
        stores = analytics.storeFigures(query());
    }

    public List<StoreFigures> getFigures() {
        return stores;
    }

    public String getComparisonChart() {
        return ChartJson.chart("bar", stores.stream().map(StoreFigures::code).toList(), List.of(
                new ChartJson.Series("Visits", "#1f77b4", ChartJson.values(stores, StoreFigures::visits)),
                new ChartJson.Series("Unique customers", "#ff7f0e",
                        ChartJson.values(stores, StoreFigures::uniqueCustomers)),
                new ChartJson.Series("Visits per customer", "#2ca02c",
                        ChartJson.values(stores, StoreFigures::visitsPerCustomer))));
    }
}
