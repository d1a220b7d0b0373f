package com.rva.application.audit;

import java.security.Principal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.AuditEntry;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The audit log: every admin action and every export, with who (the authenticated caller of the call, never a
 * name the caller sends), what and when. Written in a transaction of its own, so an entry stays even when the
 * action around it fails later - and an export is logged before its file is sent.
 */
@Stateless
public class AuditService {

    /** Actions, as the log and its filters name them. */
    public static final String EXPORT = "EXPORT";
    public static final String LOGIN_LOCKED = "LOGIN_LOCKED";
    public static final String PASSWORD_CHANGE = "PASSWORD_CHANGE";
    public static final String USER_CHANGE = "USER_CHANGE";
    public static final String MERGE_UNDO = "MERGE_UNDO";

    private final Clock clock = Clock.systemUTC();

    @Resource
    private EJBContext context;

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @jakarta.ejb.EJB
    private CallerScopeService scopes;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void record(String action, String detail) {
        Principal caller = context.getCallerPrincipal();
        recordAs(caller == null ? "anonymous" : caller.getName(), action, detail);
    }

    /** For events without an authenticated caller (a refused login): the name is the one that was tried. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void recordAs(String username, String action, String detail) {
        String name = username == null ? "anonymous" : username.length() > 100 ? username.substring(0, 100) : username;
        em.persist(new AuditEntry(LocalDateTime.now(clock), name, action, detail));
    }

    /** The newest entries first, optionally of one action; for admins only. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<AuditEntry> newest(String action, int first, int max) {
        requireAdmin();
        var q = em.createQuery("SELECT a FROM AuditEntry a" + (action == null ? "" : " WHERE a.action = :action")
                + " ORDER BY a.occurredAt DESC, a.id DESC", AuditEntry.class);
        if (action != null) {
            q.setParameter("action", action);
        }
        return q.setFirstResult(first).setMaxResults(Math.min(max, 1000)).getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long count(String action) {
        requireAdmin();
        var q = em.createQuery("SELECT COUNT(a) FROM AuditEntry a" + (action == null ? "" : " WHERE a.action = :action"),
                Long.class);
        if (action != null) {
            q.setParameter("action", action);
        }
        return q.getSingleResult();
    }

    private void requireAdmin() {
        if (!scopes.current().allStores()) {
            throw new OutOfScopeException("Only an admin may read the audit log");
        }
    }
}
