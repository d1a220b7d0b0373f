package com.rva.application.admin;

import java.util.List;

import com.rva.application.audit.AuditService;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.Region;
import com.rva.domain.ReportRecipient;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Admin: the recipients of each region's report ({@code region_report_recipient}, read by region-report). An
 * address is checked before it is stored (no display-name syntax, no line breaks: nothing can reach a mail header
 * but a plain address); every change is audited.
 */
@Stateless
public class ReportRecipientService {

    /** A recipient as the admin page lists it. */
    public record Row(long id, String region, String email, String displayName, boolean active) {
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @EJB
    CallerScopeService scopes;

    @EJB
    AuditService audit;

    public List<Row> recipients(String regionCode) {
        requireAdmin();
        return em.createQuery("SELECT r FROM ReportRecipient r WHERE r.region.code = :c ORDER BY r.email",
                ReportRecipient.class).setParameter("c", regionCode).getResultList().stream()
                .map(r -> new Row(r.getId(), regionCode, r.getEmail(), r.getDisplayName(), r.isActive())).toList();
    }

    /** Adds an address to a region's report (or changes the name of one already there, and reactivates it). */
    public void save(String regionCode, String email, String displayName) {
        requireAdmin();
        Region region = em.createQuery("SELECT r FROM Region r WHERE r.code = :c", Region.class)
                .setParameter("c", AdminInput.code("Region", regionCode)).getResultStream().findFirst()
                .orElseThrow(() -> new InvalidInputException("No region '" + regionCode + "'"));
        String address = AdminInput.email(email);
        String name = AdminInput.optionalText("Name", displayName, 200);
        ReportRecipient existing = em.createQuery("SELECT r FROM ReportRecipient r WHERE r.region = :g"
                + " AND LOWER(r.email) = :e", ReportRecipient.class).setParameter("g", region)
                .setParameter("e", address.toLowerCase(java.util.Locale.ROOT)).getResultStream().findFirst().orElse(null);
        if (existing == null) {
            em.persist(new ReportRecipient(region, address, name));
            audit.record(AuditService.RECIPIENT_CHANGE, "added " + address + " to the report of region " + region.getCode());
        } else {
            existing.setDisplayName(name);
            if (!existing.isActive()) {
                existing.setActive(true);
            }
            audit.record(AuditService.RECIPIENT_CHANGE, "changed " + existing.getEmail() + " (region " + region.getCode()
                    + "): name '" + name + "', active");
        }
    }

    /** Pauses or resumes one recipient. */
    public void setActive(long id, boolean active) {
        requireAdmin();
        ReportRecipient r = find(id);
        if (r.isActive() != active) {
            r.setActive(active);
            audit.record(AuditService.RECIPIENT_CHANGE, (active ? "resumed " : "paused ") + r.getEmail()
                    + " (region " + r.getRegion().getCode() + ")");
        }
    }

    public void remove(long id) {
        requireAdmin();
        ReportRecipient r = find(id);
        audit.record(AuditService.RECIPIENT_CHANGE, "removed " + r.getEmail() + " from the report of region "
                + r.getRegion().getCode());
        em.remove(r);
    }

    private ReportRecipient find(long id) {
        ReportRecipient r = em.find(ReportRecipient.class, id);
        if (r == null) {
            throw new InvalidInputException("No recipient " + id);
        }
        return r;
    }

    private void requireAdmin() {
        if (!scopes.current().allStores()) {
            throw new OutOfScopeException("Only an admin may change report recipients");
        }
    }
}
