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
}
