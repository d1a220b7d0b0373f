package com.rva.web.portal;

import com.rva.application.audit.AuditService;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Writes every table export to the audit log: which file, which format, from which page with which filters. */
@Named
@RequestScoped
public class ExportAudit {

    @Inject
    private AuditService audit;

    public void exported(String file, String format) {
        FacesContext faces = FacesContext.getCurrentInstance();
        String view = faces.getViewRoot() == null ? "?" : faces.getViewRoot().getViewId();
        String query = ((jakarta.servlet.http.HttpServletRequest) faces.getExternalContext().getRequest()).getHeader("Referer");
        audit.record(AuditService.EXPORT, file + "." + format + " from " + view
                + (query == null ? "" : " (" + query.replaceAll("^[^?]*", "") + ")"));
    }
}
