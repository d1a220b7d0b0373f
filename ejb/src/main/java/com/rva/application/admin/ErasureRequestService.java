package com.rva.application.admin;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.rva.application.audit.AuditService;
import com.rva.application.security.CallerScope;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.Customer;
import com.rva.domain.ErasureRequest;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Admin: erasure requests. Filing one is all the portal does; retention-purge carries it out (the customer with
 * its templates, sightings, visits and aggregates is deleted, its templates go to the block list so the face is
 * not enrolled again; docs/privacy.md). Every request is audited.
 */
@Stateless
public class ErasureRequestService {

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @EJB
    CallerScopeService scopes;

    @EJB
    AuditService audit;

    /**
     * Files a request to erase a customer.
     *
     * @throws IllegalArgumentException for an id that is not a number, an unknown customer or one already pending
     */
    public long file(String customerId, String reason) {
        CallerScope caller = requireAdmin();
        long id;
        try {
            id = Long.parseLong(customerId == null ? "" : customerId.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("A customer id is a number, not '" + AdminInput.shorten(String.valueOf(customerId)) + "'");
        }
        if (em.find(Customer.class, id) == null) {
            throw new InvalidInputException("No customer " + id + " (already erased, merged or never enrolled)");
        }
        long pending = em.createQuery("SELECT COUNT(r) FROM ErasureRequest r WHERE r.customerId = :c AND r.status = :s",
                Long.class).setParameter("c", id).setParameter("s", ErasureRequest.PENDING).getSingleResult();
        if (pending > 0) {
            throw new InvalidInputException("Customer " + id + " already has a pending erasure request");
        }
        String why = AdminInput.optionalText("Reason", reason, 1000);
        ErasureRequest request = new ErasureRequest(id, LocalDateTime.now(ZoneOffset.UTC), caller.username(), why);
        em.persist(request);
        em.flush();
        audit.record(AuditService.ERASURE_REQUEST, "erasure of customer " + id + " requested (request " + request.getId()
                + "); retention-purge carries it out");
        return request.getId();
    }

    public long count() {
        requireAdmin();
        return em.createQuery("SELECT COUNT(r) FROM ErasureRequest r", Long.class).getSingleResult();
    }

    /** Newest first, a page at a time. */
    public List<ErasureRequest> newest(int first, int max) {
        requireAdmin();
        return em.createQuery("SELECT r FROM ErasureRequest r ORDER BY r.requestedAt DESC, r.id DESC", ErasureRequest.class)
                .setFirstResult(Math.max(0, first)).setMaxResults(Math.max(1, Math.min(max, 1000))).getResultList();
    }

    private CallerScope requireAdmin() {
        CallerScope scope = scopes.current();
        if (!scope.allStores()) {
            throw new OutOfScopeException("Only an admin may see or file erasure requests");
        }
        return scope;
    }
}
