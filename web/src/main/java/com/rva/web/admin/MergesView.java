package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.batch.IdentityConsolidationOperations;
import com.rva.application.batch.IdentityConsolidationOperations.MergeNotUndoableException;
import com.rva.application.batch.IdentityConsolidationOperations.UnknownMergeException;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;
import com.rva.web.api.MergeJson;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** Admin: the identity-consolidation merges, newest first, a page at a time, each with an Undo button. */
@Named
@ViewScoped
public class MergesView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private IdentityConsolidationService consolidation;

    @EJB
    private IdentityConsolidationOperations operations;

    private final Merges merges = new Merges();

    public class Merges extends LazyDataModel<MergeJson> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return Math.toIntExact(consolidation.countMerges());
        }

        @Override
        public List<MergeJson> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            return consolidation.merges(first, Math.min(Math.max(pageSize, 1), 1000)).stream().map(MergeJson::of)
                    .toList();
        }

        @Override
        public String getRowKey(MergeJson row) {
            return Long.toString(row.mergeId());
        }

        @Override
        public MergeJson getRowData(String rowKey) {
            List<MergeJson> page = getWrappedData();
            return page == null ? null : page.stream().filter(m -> getRowKey(m).equals(rowKey)).findFirst().orElse(null);
        }
    }

    public Merges getMerges() {
        return merges;
    }

    /** Undoes one merge; the page shows what went back, or why it could not. */
    public void undo(long mergeId) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            MergeResult r = operations.undo(mergeId);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, String.format("Merge %d undone: customer"
                    + " %d is separate from customer %d again (%d sightings, %d templates back).", mergeId,
                    r.absorbedId(), r.survivorId(), r.sightings(), r.templates()), null));
        } catch (UnknownMergeException | MergeNotUndoableException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
        }
    }
}
