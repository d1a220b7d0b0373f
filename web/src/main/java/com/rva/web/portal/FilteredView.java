package com.rva.web.portal;

import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.rva.application.analytics.StoreSummary;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.web.support.InvalidParameterException;
import com.rva.web.support.RangeParameters;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;

/**
 * What every portal page shares: the time range (whole UTC days) and store filters, kept in the URL
 * ({@code ?from=2024-11-20&to=2024-11-26&stores=store_001}) so a view can be bookmarked and shared. Applying the
 * form reloads the page with the new URL. The store list offers only the caller's stores (the service decides).
 */
public abstract class FilteredView implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    protected VisitAnalyticsService analytics;

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

    /** The page's outcome, e.g. {@code dashboard}. */
    protected abstract String page();

    /** Reads the page's data once the filters are known. */
    protected void onLoad() {
    }

    /** Reads the filters from the URL; a bad one is reported and replaced by its default. */
    public void load() {
        com.rva.application.analytics.PortalTiming tm = com.rva.application.analytics.PortalTiming.start(page() + ".load");
        stores = analytics.stores();
        tm.mark("stores");
        LocalDate today = LocalDate.now(Clock.systemUTC());
        from = date(RangeParameters.FROM, fromParam, RangeParameters.defaultFirstDay(today));
        to = date(RangeParameters.TO, toParam, today);
        if (from.isAfter(to)) {
            message(FacesMessage.SEVERITY_WARN, "'From' is after 'to': showing the last "
                    + RangeParameters.DEFAULT_DAYS + " days instead");
            from = RangeParameters.defaultFirstDay(today);
            to = today;
        }
        if (from.isBefore(to.minusYears(5))) {
            message(FacesMessage.SEVERITY_WARN, "A range is at most 5 years: showing the 5 years up to " + to);
            from = to.minusYears(5);
        }
        selectedStores = new ArrayList<>();
        Set<String> known = stores.stream().map(StoreSummary::code).collect(Collectors.toSet());
        try {
            for (String code : RangeParameters.storeCodes(storesParam == null ? List.of() : List.of(storesParam))) {
                if (known.contains(code)) {
                    selectedStores.add(code);
                } else {
                    // unknown and not-yours read the same: a manager learns nothing about other stores
                    message(FacesMessage.SEVERITY_WARN, "Unknown store code '" + code + "' ignored");
                }
            }
        } catch (InvalidParameterException e) {
            message(FacesMessage.SEVERITY_WARN, e.getMessage());
        }
        query = VisitQuery.of(from.atStartOfDay(), to.plusDays(1).atStartOfDay(), selectedStores);
        rememberParams();
        onLoad();
        tm.mark("onLoad");
        tm.done();
    }

    /** Applies the filters of the form: the same page again, with them in its URL. */
    public String apply() {
        if (from == null || to == null || from.isAfter(to)) {
            message(FacesMessage.SEVERITY_ERROR, "Choose a 'from' day that is not after the 'to' day");
            return null;
        }
        rememberParams();
        return page() + "?faces-redirect=true&includeViewParams=true";
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
            message(FacesMessage.SEVERITY_WARN, "'" + name + "' must be a day like 2024-11-26, not '"
                    + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
            return fallback;
        }
    }

    protected static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    protected VisitQuery query() {
        return query;
    }

    /** The filters as a query string, for links to other pages that keep them. */
    public String getFilterQuery() {
        StringBuilder q = new StringBuilder("from=").append(fromParam).append("&to=").append(toParam);
        if (storesParam != null) {
            q.append("&stores=").append(java.net.URLEncoder.encode(storesParam, java.nio.charset.StandardCharsets.UTF_8));
        }
        return q.toString();
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
