package com.rva.application.security;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.audit.AuditService;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Locks a portal user out after {@value #DEFAULT_MAX_FAILURES} failed logins in a row (portal form or API Basic),
 * for {@value #DEFAULT_LOCK_MINUTES} minutes; {@code -Drva.login.max-failures} and {@code -Drva.login.lock-minutes}
 * change them. While locked even the right password is refused, with the same answer as a wrong one. Only existing
 * users are counted, so the lock-out tells nobody which names exist.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class LoginAttemptService {

    static final int DEFAULT_MAX_FAILURES = 5;
    static final int DEFAULT_LOCK_MINUTES = 15;

    private static final Logger LOG = Logger.getLogger(LoginAttemptService.class.getName());

    private final Clock clock = Clock.systemUTC();

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private AuditService audit;

    public boolean isLocked(String username) {
        if (username == null) {
            return false;
        }
        List<?> until = em.createNativeQuery("SELECT locked_until FROM app_user WHERE username = ?1")
                .setParameter(1, username).getResultList();
        if (until.isEmpty() || until.get(0) == null) {
            return false;
        }
        Object t = until.get(0);
        LocalDateTime lockedUntil = t instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) t;
        return lockedUntil.isAfter(LocalDateTime.now(clock));
    }

    public void failed(String username) {
        if (username == null || em.createNativeQuery("UPDATE app_user SET failed_logins = failed_logins + 1"
                + " WHERE username = ?1").setParameter(1, username).executeUpdate() == 0) {
            return;
        }
        int max = Integer.getInteger("rva.login.max-failures", DEFAULT_MAX_FAILURES);
        int minutes = Integer.getInteger("rva.login.lock-minutes", DEFAULT_LOCK_MINUTES);
        int locked = em.createNativeQuery("UPDATE app_user SET locked_until = ?1, failed_logins = 0"
                + " WHERE username = ?2 AND failed_logins >= ?3")
                .setParameter(1, java.sql.Timestamp.valueOf(LocalDateTime.now(clock).plusMinutes(minutes)))
                .setParameter(2, username).setParameter(3, max).executeUpdate();
        if (locked > 0) {
            LOG.warning(() -> "Portal user " + username + " locked for " + minutes + " min after " + max
                    + " failed logins");
            audit.recordAs(username, AuditService.LOGIN_LOCKED, "locked for " + minutes + " min after " + max
                    + " failed logins");
        }
    }

    public void succeeded(String username) {
        if (username != null) {
            em.createNativeQuery("UPDATE app_user SET failed_logins = 0 WHERE username = ?1 AND failed_logins <> 0")
                    .setParameter(1, username).executeUpdate();
        }
    }

    /** An admin lifts a lock at once. */
    public void unlock(String username) {
        em.createNativeQuery("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE username = ?1")
                .setParameter(1, username).executeUpdate();
        audit.record(AuditService.USER_CHANGE, "unlocked " + username);
    }
}
