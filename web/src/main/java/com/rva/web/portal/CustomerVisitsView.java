package com.rva.web.portal;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

import com.rva.application.analytics.CustomerVisits;
import com.rva.application.analytics.CustomerVisitsSort;
import com.rva.application.analytics.StoreSummary;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.application.security.OutOfScopeException;
import com.rva.web.support.InvalidParameterException;
import com.rva.web.support.RangeParameters;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The customers page: visits per customer with the per-store breakdown, for a range of days (UTC) and some or
 * all stores. The filters live in the URL ({@code ?from=2024-11-20&to=2024-11-26&stores=store_001}) so a view
 * can be bookmarked and shared; applying them reloads the page with the new URL.
 */
@Named
@ViewScoped
public class CustomerVisitsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    private VisitAnalyticsService analytics;

    // the view parameters, as they are in the URL
    private String fromParam;
    private String toParam;
    private String storesParam;

    // the filters, as the form edits them
    private LocalDate from;
    private LocalDate to;
    private List<String> selectedStores = new ArrayList<>();

    private List<StoreSummary> stores;
    private VisitQuery query;
    private final Rows customers = new Rows();

    /** Reads the filters from the URL; a bad one is reported and replaced by its default. */
    public void load() {
        stores = analytics.stores();
        LocalDate today = LocalDate.now(Clock.systemUTC());
        from = date(RangeParameters.FROM, fromParam, RangeParameters.defaultFirstDay(today));
        to = date(RangeParameters.TO, toParam, today);
        if (from.isAfter(to)) {
            message(FacesMessage.SEVERITY_WARN, "'From' is after 'to': showing the last "
                    + RangeParameters.DEFAULT_DAYS + " days instead");
            from = RangeParameters.defaultFirstDay(today);
            to = today;
        }
        selectedStores = new ArrayList<>();
        Set<String> known = stores.stream().map(StoreSummary::code).collect(Collectors.toSet());
        try {
            for (String code : RangeParameters.storeCodes(storesParam == null ? List.of() : List.of(storesParam))) {
                if (known.contains(code)) {
                    selectedStores.add(code);
                } else {
                    message(FacesMessage.SEVERITY_WARN, "Unknown store code '" + code + "' ignored");
                }
            }
        } catch (InvalidParameterException e) {
            message(FacesMessage.SEVERITY_WARN, e.getMessage());
        }
        query = VisitQuery.of(from.atStartOfDay(), to.plusDays(1).atStartOfDay(), selectedStores);
        rememberParams();
    }

    /** Applies the filters of the form: the same page again, with them in its URL. */
    public String apply() {
        if (from == null || to == null || from.isAfter(to)) {
            message(FacesMessage.SEVERITY_ERROR, "Choose a 'from' day that is not after the 'to' day");
            return null;
        }
        rememberParams();
        return "customers?faces-redirect=true&includeViewParams=true";
    }

    private void rememberParams() {
        fromParam = from.toString();
        toParam = to.toString();
        storesParam = RangeParameters.joinStoreCodes(selectedStores);
    }

    private static LocalDate date(String name, String raw, LocalDate fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(raw.trim());
        } catch (DateTimeParseException e) {
            message(FacesMessage.SEVERITY_WARN, "'" + name + "' must be a day like 2024-11-26, not '" + raw + "'");
            return fallback;
        }
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    /** The rows of the table, one page at a time from the database. */
    public class Rows extends LazyDataModel<CustomerVisits> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            if (query == null) {
                return 0;
            }
            try {
                return Math.toIntExact(analytics.countCustomers(query));
            } catch (UnknownStoreException | OutOfScopeException e) {
                message(FacesMessage.SEVERITY_ERROR, e.getMessage());
                return 0;
            }
        }

        @Override
        public List<CustomerVisits> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            if (query == null) {
                return List.of();
            }
            CustomerVisitsSort sort = CustomerVisitsSort.VISITS;
            boolean ascending = false;
            for (SortMeta meta : sortBy.values()) {
                if (meta.getOrder() != null && meta.getOrder() != SortOrder.UNSORTED) {
                    sort = CustomerVisitsSort.byField(meta.getField());
                    ascending = meta.getOrder() == SortOrder.ASCENDING;
                    break;
                }
            }
            try {
                return analytics.customerVisits(query, sort, ascending, first, Math.max(pageSize, 1));
            } catch (UnknownStoreException | OutOfScopeException e) {
                message(FacesMessage.SEVERITY_ERROR, e.getMessage());
                return List.of();
            }
        }

        @Override
        public String getRowKey(CustomerVisits row) {
            return Long.toString(row.customerId());
        }

        @Override
        public CustomerVisits getRowData(String rowKey) {
            List<CustomerVisits> page = getWrappedData();
            return page == null ? null
                    : page.stream().filter(r -> getRowKey(r).equals(rowKey)).findFirst().orElse(null);
        }
    }

    public Rows getCustomers() {
        return customers;
    }

    public List<StoreSummary> getStores() {
        return stores;
    }

    /** The range shown, for the page's summary line. */
    public String getRangeDescription() {
        if (query == null) {
            return "";
        }
        return from + " to " + to + " (UTC days), "
                + (selectedStores.isEmpty() ? "all stores" : String.join(", ", selectedStores));
    }

    public String getFromParam() {
        return fromParam;
    }

    public void setFromParam(String fromParam) {
        this.fromParam = fromParam;
    }

    public String getToParam() {
        return toParam;
    }

    public void setToParam(String toParam) {
        this.toParam = toParam;
    }

    public String getStoresParam() {
        return storesParam;
    }

    public void setStoresParam(String storesParam) {
        this.storesParam = storesParam;
    }

    public LocalDate getFrom() {
        return from;
    }

    public void setFrom(LocalDate from) {
        this.from = from;
    }

    public LocalDate getTo() {
        return to;
    }

    public void setTo(LocalDate to) {
        this.to = to;
    }

    public List<String> getSelectedStores() {
        return selectedStores;
    }

    public void setSelectedStores(List<String> selectedStores) {
        this.selectedStores = selectedStores == null ? new ArrayList<>() : new ArrayList<>(selectedStores);
    }

    /** Today in UTC, the latest day the date pickers offer. */
    public LocalDate getToday() {
        return LocalDate.now(ZoneOffset.UTC);
    }
}
