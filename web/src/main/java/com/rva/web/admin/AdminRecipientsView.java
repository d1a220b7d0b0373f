package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;

import com.rva.application.admin.CatalogAdminService;
import com.rva.application.admin.ReportRecipientService;
import com.rva.application.admin.ReportRecipientService.Row;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** Admin: who gets each region's morning report ({@code ?region=} in the URL); addresses validated, changes audited. */
@Named
@ViewScoped
public class AdminRecipientsView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private ReportRecipientService recipients;

    @EJB
    private CatalogAdminService catalog;

    private String region;
    private List<String> regionChoices = List.of();
    private List<Row> rows = List.of();

    private String email;
    private String displayName;

    public void load() {
        regionChoices = catalog.regions().stream().map(CatalogAdminService.RegionRow::code).toList();
        if ((region == null || region.isBlank()) && !regionChoices.isEmpty()) {
            region = regionChoices.get(0);
        }
        if (!regionChoices.contains(region)) {
            AdminMessages.error("No region '" + region + "'; choose one");
            region = null;
        }
        rows = region == null ? List.of() : recipients.recipients(region);
    }

    public void add() {
        if (region == null) {
            AdminMessages.error("Choose a region first");
            return;
        }
        if (AdminMessages.attempt(() -> recipients.save(region, email, displayName), "Saved " + email)) {
            email = displayName = null;
        }
        load();
    }

    public void setActive(Row row, boolean active) {
        AdminMessages.attempt(() -> recipients.setActive(row.id(), active), (active ? "Resumed " : "Paused ") + row.email());
        load();
    }

    public void remove(Row row) {
        AdminMessages.attempt(() -> recipients.remove(row.id()), "Removed " + row.email());
        load();
    }

    public String apply() {
        return "recipients?faces-redirect=true&includeViewParams=true";
    }

    public List<String> getRegionChoices() {
        return regionChoices;
    }

    public List<Row> getRows() {
        return rows;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
