package com.rva.web.portal;

import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

import com.rva.application.analytics.CustomerDetail;
import com.rva.application.analytics.UnknownCustomerException;
import com.rva.application.analytics.VisitRow;
import com.rva.application.security.OutOfScopeException;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * One customer: first/last seen and visits per store (all time, the caller's stores only), and its visit
 * timeline in the filter's range. A customer that does not exist is a 404, one never seen in the caller's stores
 * a 403 - the page then shows only the message.
 */
@Named
@ViewScoped
public class CustomerView extends FilteredView {

    private static final long serialVersionUID = 1L;

    private String idParam;
    private long customerId;
    private CustomerDetail detail;
    private final Visits visits = new Visits();

    @Override
    protected String page() {
        return "customer";
    }

    @Override
    protected void onLoad() {
        detail = null;
        try {
            customerId = Long.parseLong(idParam == null ? "" : idParam.trim());
            if (customerId < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            refuse(400, "A customer id is a positive whole number");
            return;
        }
        try {
            detail = analytics.customer(customerId);
        } catch (UnknownCustomerException e) {
            refuse(404, e.getMessage());
        } catch (OutOfScopeException e) {
            refuse(403, "Customer " + customerId + " has not visited any of your stores");
        }
    }

    private static void refuse(int status, String text) {
        FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(status);
        message(FacesMessage.SEVERITY_ERROR, text);
    }

    /** The visits of the timeline, a page at a time. */
    public class Visits extends LazyDataModel<VisitRow> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return detail == null ? 0 : Math.toIntExact(analytics.countVisits(query(), customerId));
        }

        @Override
        public List<VisitRow> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            if (detail == null) {
                return List.of();
            }
            boolean newestFirst = sortBy.values().stream().noneMatch(m -> m.getOrder() == SortOrder.ASCENDING);
            return analytics.visits(query(), customerId, newestFirst, first, Math.min(Math.max(pageSize, 1), 1000));
        }

        @Override
        public String getRowKey(VisitRow row) {
            return Long.toString(row.visitId());
        }

        @Override
        public VisitRow getRowData(String rowKey) {
            List<VisitRow> page = getWrappedData();
            return page == null ? null
                    : page.stream().filter(r -> getRowKey(r).equals(rowKey)).findFirst().orElse(null);
        }
    }

    public Visits getVisits() {
        return visits;
    }

    public CustomerDetail getDetail() {
        return detail;
    }

    public List<Map.Entry<String, Long>> getStoresVisited() {
        return detail == null ? List.of() : List.copyOf(detail.visitsByStore().entrySet());
    }

    public String getIdParam() {
        return idParam;
    }

    public void setIdParam(String idParam) {
        this.idParam = idParam;
    }
}
