package com.rva.application.security;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.rva.domain.AppUser;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Derives the {@link CallerScope} of the authenticated caller of the current EJB call. The roles are read from
 * the same rows the identity store reads ({@code app_user_role}), and the stores from the user's regions and
 * stores, so a page or an API call cannot widen its scope by anything it sends. A caller that is not a portal user
 * (anonymous, a batch job's run-as identity) gets an empty scope: it sees nothing.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class CallerScopeService {

    /** The principal name of a call without authentication in WildFly. */
    private static final String ANONYMOUS = "anonymous";

    @Resource
    private EJBContext context;

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    /** The scope of whoever called the current business method. */
    public CallerScope current() {
        Principal principal = context.getCallerPrincipal();
        String name = principal == null ? ANONYMOUS : principal.getName();
        return of(name);
    }

    /** The scope of a portal user; an unknown user, or one without a manager role, sees nothing. */
    public CallerScope of(String username) {
        AppUser user = username == null ? null : em.find(AppUser.class, username);
        if (user == null) {
            return CallerScope.stores(username == null ? ANONYMOUS : username, Map.of());
        }
        Set<String> roles = user.getRoles();
        if (roles.contains(AppUser.ROLE_ADMIN)) {
            return CallerScope.everything(username);
        }
        Map<String, Long> stores = new HashMap<>();
        if (roles.contains(AppUser.ROLE_REGIONAL_MANAGER)) {
            em.createQuery("SELECT s.code, s.id FROM Store s WHERE s.region.id IN"
                    + " (SELECT r.id FROM AppUser u JOIN u.regions r WHERE u.username = :username)", Object[].class)
                    .setParameter("username", username)
                    .getResultList()
                    .forEach(r -> stores.put((String) r[0], ((Number) r[1]).longValue()));
        }
        if (roles.contains(AppUser.ROLE_STORE_MANAGER)) {
            em.createQuery("SELECT s.code, s.id FROM AppUser u JOIN u.stores s WHERE u.username = :username",
                    Object[].class)
                    .setParameter("username", username)
                    .getResultList()
                    .forEach(r -> stores.put((String) r[0], ((Number) r[1]).longValue()));
        }
        return CallerScope.stores(username, stores);
    }
}
