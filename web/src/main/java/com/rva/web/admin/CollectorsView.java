package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.collectors.CollectorCredentialException;
import com.rva.application.collectors.CollectorCredentialService;
import com.rva.application.collectors.CollectorOverview;
import com.rva.application.collectors.CollectorsService;
import com.rva.application.collectors.IssuedCredentials;
import com.rva.application.security.OutOfScopeException;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * Admin: the store collectors (account, credentials, latest heartbeat) and creating or rotating a store's collector
 * credentials. A new secret is shown once, in this view only; it is not kept anywhere else.
 */
@Named
@ViewScoped
public class CollectorsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private CollectorsService collectors;

    @EJB
    private CollectorCredentialService credentials;

    private List<CollectorOverview> rows = List.of();
    private List<String> storeChoices = List.of();
    private String store;
    /** the credentials just issued: shown once, gone with this view */
    private transient IssuedCredentials issued;

    public void load() {
        rows = collectors.overview();
        storeChoices = collectors.storeCodes();
    }

    /** Creates or rotates the credentials of the chosen store's collector. */
    public void issue() {
        issue(store, null);
    }

    /** Rotates one account's credentials (its row's button). */
    public void rotate(CollectorOverview row) {
        issue(row.store(), row.login());
    }

    private void issue(String storeCode, String login) {
        issued = null;
        if (storeCode == null || storeCode.isBlank()) {
            message(FacesMessage.SEVERITY_ERROR, "Choose a store");
            return;
        }
        try {
            issued = credentials.issue(storeCode, login);
        } catch (UnknownStoreException | CollectorCredentialException | OutOfScopeException e) {
            message(FacesMessage.SEVERITY_ERROR, e.getMessage());
            return;
        }
        message(FacesMessage.SEVERITY_INFO, (issued.created() ? "Created" : "Rotated") + " the credentials of "
                + issued.login() + " (store " + issued.store() + "). Copy the secret now: it is not shown again.");
        load();
    }

    /** "TOO_SMALL 3, BLURRY 1" (only reasons with rejections; "none" when there are none). */
    public static String counts(Map<String, Long> byReason) {
        String s = byReason.entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return s.isEmpty() ? "none" : s;
    }

    /** "cam-1: TOO_SMALL 3; cam-2: none". */
    public String perCamera(CollectorOverview row) {
        return row.cameraRejects().entrySet().stream().map(e -> e.getKey() + ": " + counts(e.getValue()))
                .collect(Collectors.joining("; "));
    }

    public String rejects(CollectorOverview row) {
        return counts(row.rejects());
    }

    /** "cam-1 ok; cam-2 failing (connection refused)". */
    public String cameras(CollectorOverview row) {
        return row.cameras().stream().map(c -> c.id() + " " + c.status()
                + (c.lastError() == null ? "" : " (" + c.lastError() + ")")).collect(Collectors.joining("; "));
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    public List<CollectorOverview> getRows() {
        return rows;
    }

    public List<String> getStoreChoices() {
        return storeChoices;
    }

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public IssuedCredentials getIssued() {
        return issued;
    }

    public long getStaleMinutes() {
        return CollectorsService.STALE_AFTER.toMinutes();
    }
}
