package com.rva.application.security;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import com.rva.domain.AppUser;
import com.rva.domain.Region;
import com.rva.domain.Store;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Portal users as the database identity store reads them ({@code app_user}, {@code app_user_role}).
 * Passwords arrive here already hashed: hashing belongs to the web tier, where Jakarta Security's
 * {@code Pbkdf2PasswordHash} lives, so this service never sees a clear-text password.
 */
@Stateless
public class PortalUserService {

    private static final Logger LOG = Logger.getLogger(PortalUserService.class.getName());

    /** The roles a portal user can have. */
    public static final Set<String> ROLES = Set.of(AppUser.ROLE_ADMIN, AppUser.ROLE_REGIONAL_MANAGER,
            AppUser.ROLE_STORE_MANAGER);

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @jakarta.annotation.Resource
    private jakarta.ejb.EJBContext context;

    @jakarta.ejb.EJB
    private com.rva.application.audit.AuditService audit;

    @jakarta.ejb.EJB
    private CallerScopeService scopes;

    public long countUsers() {
        return em.createQuery("SELECT COUNT(u) FROM AppUser u", Long.class).getSingleResult();
    }

    /**
     * Creates the first administrator, but only while there is no user at all (so a restart, or a second
     * node starting at the same time, never adds or resets one).
     *
     * @return whether the user was created
     */
    public boolean createFirstAdministrator(String username, String passwordHash) {
        if (countUsers() > 0) {
            return false;
        }
        create(username, passwordHash, "Administrator", Set.of(AppUser.ROLE_ADMIN));
        return true;
    }

    /**
     * @throws IllegalArgumentException for a blank name, an existing name or an unknown role
     */
    public void create(String username, String passwordHash, String displayName, Set<String> roles) {
        if (username == null || username.isBlank() || username.length() > 100) {
            throw new IllegalArgumentException("A user name must have 1 to 100 characters");
        }
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("Unknown role '" + role + "'; roles are " + ROLES);
            }
        }
        if (em.find(AppUser.class, username) != null) {
            throw new IllegalArgumentException("The user '" + username + "' exists already");
        }
        em.persist(new AppUser(username, passwordHash, displayName, roles, LocalDateTime.now(ZoneOffset.UTC)));
        em.flush();
        LOG.info(() -> "Created portal user " + username + " with roles " + roles);
    }

    /**
     * Sets what a manager sees: the regions (for REGIONAL_MANAGER) and stores (for STORE_MANAGER), by code,
     * replacing what it had.
     *
     * @throws IllegalArgumentException for an unknown user, region or store code
     */
    public void assignScope(String username, Set<String> regionCodes, Set<String> storeCodes) {
        AppUser user = em.find(AppUser.class, username);
        if (user == null) {
            throw new IllegalArgumentException("No user '" + username + "'");
        }
        Set<Region> regions = new HashSet<>();
        for (String code : regionCodes) {
            List<Region> found = em.createQuery("SELECT r FROM Region r WHERE r.code = :code", Region.class)
                    .setParameter("code", code).getResultList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("Unknown region code '" + code + "'");
            }
            regions.add(found.get(0));
        }
        Set<Store> stores = new HashSet<>();
        for (String code : storeCodes) {
            List<Store> found = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code)
                    .getResultList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("Unknown store code '" + code + "'");
            }
            stores.add(found.get(0));
        }
        user.setRegions(regions);
        user.setStores(stores);
        em.flush();
        LOG.info(() -> "Scope of " + username + ": regions " + regionCodes + ", stores " + storeCodes);
    }

    /** The stored hash of a user's password, or null for an unknown user (to check a current password). */
    public String passwordHash(String username) {
        AppUser user = em.find(AppUser.class, username);
        return user == null ? null : user.getPasswordHash();
    }

    /**
     * Replaces the password hash of the <em>calling</em> user (the name comes from the principal, never from the
     * page) and writes the change to the audit log.
     */
    public void changeOwnPassword(String newPasswordHash) {
        String username = context.getCallerPrincipal().getName();
        AppUser user = em.find(AppUser.class, username);
        if (user == null) {
            throw new IllegalArgumentException("No portal user '" + username + "'");
        }
        user.setPasswordHash(newPasswordHash);
        em.createNativeQuery("UPDATE app_user SET password_changed_at = ?1 WHERE username = ?2")
                .setParameter(1, java.sql.Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC)))
                .setParameter(2, username).executeUpdate();
        audit.record(com.rva.application.audit.AuditService.PASSWORD_CHANGE, "changed own password");
    }

    /** All users, by name, with their roles and scopes loaded (for the admin page). */
    public List<AppUser> users() {
        List<AppUser> all = em.createQuery("SELECT u FROM AppUser u ORDER BY u.username", AppUser.class).getResultList();
        all.forEach(u -> {
            u.getRegions().size();
            u.getStores().size();
        });
        return all;
    }

    /**
     * Creates a user or changes an existing one's display name, roles and scope (and password, when a hash is
     * given) - for an ADMIN only, checked here from the caller's own rows - and audits it.
     *
     * @throws OutOfScopeException when the caller is not an admin
     * @throws IllegalArgumentException for bad names, roles, regions or stores
     */
    public void saveAsAdmin(String username, String displayName, String passwordHashOrNull, Set<String> roles,
            Set<String> regionCodes, Set<String> storeCodes) {
        CallerScope caller = scopes.current();
        if (!caller.allStores()) {
            throw new OutOfScopeException("Only an admin may change users");
        }
        AppUser user = username == null ? null : em.find(AppUser.class, username);
        String name = displayName == null || displayName.isBlank() ? username : displayName.trim();
        if (name != null && name.length() > 200) {
            throw new IllegalArgumentException("A display name has at most 200 characters");
        }
        if (user == null) {
            if (passwordHashOrNull == null) {
                throw new IllegalArgumentException("A new user needs a password");
            }
            create(username, passwordHashOrNull, name, roles);
        } else {
            for (String role : roles) {
                if (!ROLES.contains(role)) {
                    throw new IllegalArgumentException("Unknown role '" + role + "'; roles are " + ROLES);
                }
            }
            if (username.equals(caller.username()) && !roles.contains(AppUser.ROLE_ADMIN)) {
                throw new IllegalArgumentException("You cannot take the ADMIN role from yourself");
            }
            user.setRoles(roles);
            user.setDisplayName(name);
            if (passwordHashOrNull != null) {
                user.setPasswordHash(passwordHashOrNull);
            }
        }
        assignScope(username, regionCodes, storeCodes);
        audit.record(com.rva.application.audit.AuditService.USER_CHANGE, (user == null ? "created " : "changed ")
                + username + ": roles " + new java.util.TreeSet<>(roles) + ", regions "
                + new java.util.TreeSet<>(regionCodes) + ", stores " + new java.util.TreeSet<>(storeCodes)
                + (passwordHashOrNull != null && user != null ? ", password reset" : ""));
    }

    /** Region codes, for the admin's scope choices. */
    public List<String> regionCodes() {
        return em.createQuery("SELECT r.code FROM Region r ORDER BY r.code", String.class).getResultList();
    }

    /** Store codes, for the admin's scope choices. */
    public List<String> storeCodes() {
        return em.createQuery("SELECT s.code FROM Store s ORDER BY s.code", String.class).getResultList();
    }

    /** Until when a user is locked out (UTC), or null. */
    public LocalDateTime lockedUntil(String username) {
        List<?> r = em.createNativeQuery("SELECT locked_until FROM app_user WHERE username = ?1")
                .setParameter(1, username).getResultList();
        if (r.isEmpty() || r.get(0) == null) {
            return null;
        }
        return r.get(0) instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (LocalDateTime) r.get(0);
    }
}
