package com.rva.web.portal;

import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

import com.rva.application.analytics.CustomerPage;
import com.rva.application.analytics.CustomerVisits;
import com.rva.application.analytics.CustomerVisitsSort;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.security.OutOfScopeException;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * The customers page: visits per customer with the per-store breakdown, for a range of days (UTC) and some or
 * all stores. The filters live in the URL ({@code ?from=2024-11-20&to=2024-11-26&stores=store_001}) so a view
 * can be bookmarked and shared; applying them reloads the page with the new URL.
 */
@Named
@ViewScoped
public class CustomerVisitsView extends FilteredView {

    private static final long serialVersionUID = 1L;

    private final Rows customers = new Rows();

    @Override
    protected String page() {
        return "customers";
    }

    /** The rows of the table, one page at a time from the database. */
    public class Rows extends LazyDataModel<CustomerVisits> {

        private static final long serialVersionUID = 1L;

        /**
         * The count and the page of one request come from one call ({@code customerPage}: one read of the
         * precomputed days): the table asks for both; the count is asked for the page last shown (at first the
         * default: by visits, descending, the first 25), and the load takes it when it asks for that same page.
         */
        private transient Object memoRequest;
        private transient String memoKey;
        private transient CustomerPage memo;
        private CustomerVisitsSort lastSort = CustomerVisitsSort.VISITS;
        private boolean lastAscending;
        private int lastFirst;
        private int lastSize = 25;

        private CustomerPage page(CustomerVisitsSort sort, boolean ascending, int first, int size) {
            Object request = FacesContext.getCurrentInstance();
            String key = query() + "|" + sort + "|" + ascending + "|" + first + "|" + size;
            if (memo != null && request != null && request == memoRequest && key.equals(memoKey)) {
                return memo;
            }
            memo = analytics.customerPage(query(), sort, ascending, first, size);
            memoRequest = request;
            memoKey = key;
            return memo;
        }

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            if (query() == null) {
                return 0;
            }
            try {
                return Math.toIntExact(page(lastSort, lastAscending, lastFirst, lastSize).total());
            } catch (UnknownStoreException | OutOfScopeException e) {
                message(FacesMessage.SEVERITY_ERROR, e.getMessage());
                return 0;
            }
        }

        @Override
        public List<CustomerVisits> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            if (query() == null) {
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
                lastSort = sort;
                lastAscending = ascending;
                lastFirst = first;
                lastSize = Math.min(Math.max(pageSize, 1), 1000);
                return page(sort, ascending, first, lastSize).rows();
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
}
