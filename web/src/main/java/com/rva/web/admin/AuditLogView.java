package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.audit.AuditService;
import com.rva.domain.AuditEntry;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** Admin: the audit log, newest first, a page at a time, optionally one action only (remembered in the URL). */
@Named
@ViewScoped
public class AuditLogView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private AuditService audit;

    private String action;
    private final Entries entries = new Entries();

    public class Entries extends LazyDataModel<AuditEntry> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return Math.toIntExact(audit.count(selectedAction()));
        }

        @Override
        public List<AuditEntry> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            return audit.newest(selectedAction(), first, Math.min(Math.max(pageSize, 1), 1000));
        }

        @Override
        public String getRowKey(AuditEntry row) {
            return Long.toString(row.getId());
        }

        @Override
        public AuditEntry getRowData(String rowKey) {
            List<AuditEntry> page = getWrappedData();
            return page == null ? null : page.stream().filter(e -> getRowKey(e).equals(rowKey)).findFirst().orElse(null);
        }
    }

    private String selectedAction() {
        return action == null || action.isBlank() || !getActions().contains(action) ? null : action;
    }

    public List<String> getActions() {
        return List.of(AuditService.EXPORT, AuditService.USER_CHANGE, AuditService.PASSWORD_CHANGE,
                AuditService.LOGIN_LOCKED, AuditService.MERGE_UNDO);
    }

    public Entries getEntries() {
        return entries;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public String apply() {
        return "audit?faces-redirect=true&includeViewParams=true";
    }
}
