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
    public static final String COLLECTOR_CREDENTIALS = "COLLECTOR_CREDENTIALS";
    public static final String EXPORT = "EXPORT";
    public static final String LOGIN_LOCKED = "LOGIN_LOCKED";
    public static final String PASSWORD_CHANGE = "PASSWORD_CHANGE";
    public static final String USER_CHANGE = "USER_CHANGE";
    /** Regions, stores and cameras created, changed or (de)activated on the admin pages. */
    public static final String CATALOG_CHANGE = "CATALOG_CHANGE";
    /** A setting changed, with its old and new value. */
    public static final String SETTING_CHANGE = "SETTING_CHANGE";
    /** A batch job started, stopped or restarted, or its schedule changed, from the portal. */
    public static final String JOB_CONTROL = "JOB_CONTROL";
    /** A region report recipient added, changed or removed. */
    public static final String RECIPIENT_CHANGE = "RECIPIENT_CHANGE";
    /** An erasure request filed (the customer id; retention-purge carries it out). */
    public static final String ERASURE_REQUEST = "ERASURE_REQUEST";
    /** A consolidation merge undone by an admin. */
    public static final String MERGE_UNDO = "MERGE_UNDO";

    /** Every action, in the order the audit page offers them. */
    public static final java.util.List<String> ACTIONS = java.util.List.of(EXPORT, USER_CHANGE, PASSWORD_CHANGE,
            LOGIN_LOCKED, CATALOG_CHANGE, SETTING_CHANGE, JOB_CONTROL, RECIPIENT_CHANGE, ERASURE_REQUEST,
            COLLECTOR_CREDENTIALS, MERGE_UNDO);

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
