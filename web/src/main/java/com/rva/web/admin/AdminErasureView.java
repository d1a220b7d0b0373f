package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.admin.ErasureRequestService;
import com.rva.domain.ErasureRequest;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * Admin: file an erasure request for a customer ({@code ?customer=} pre-fills it) and follow the requests;
 * retention-purge carries them out and blocks re-enrolment of the face.
 */
@Named
@ViewScoped
public class AdminErasureView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private ErasureRequestService erasures;

    private String customer;
    private String reason;
    private final Requests requests = new Requests();

    /** The requests, newest first, paged by the database. */
    public class Requests extends LazyDataModel<ErasureRequest> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return Math.toIntExact(erasures.count());
        }

        @Override
        public List<ErasureRequest> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            return erasures.newest(first, pageSize);
        }

        @Override
        public String getRowKey(ErasureRequest row) {
            return Long.toString(row.getId());
        }

        @Override
        public ErasureRequest getRowData(String rowKey) {
            List<ErasureRequest> page = getWrappedData();
            return page == null ? null : page.stream().filter(r -> getRowKey(r).equals(rowKey)).findFirst().orElse(null);
        }
    }

    public void file() {
        String id = customer;
        if (AdminMessages.attempt(() -> erasures.file(customer, reason), "Erasure of customer " + id
                + " requested; the next retention-purge run carries it out")) {
            customer = reason = null;
        }
    }

    public Requests getRequests() {
        return requests;
    }

    public String getCustomer() {
        return customer;
    }

    public void setCustomer(String customer) {
        this.customer = customer;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
