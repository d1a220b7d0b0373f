package com.rva.it.portal;

import java.util.Map;
import java.util.Set;

import com.rva.application.security.PortalUserService;
import com.rva.domain.AppUser;

import jakarta.persistence.EntityManager;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;

/**
 * The managers and the extra region the scope tests need, made in the server: a regional manager of the demo
 * region ({@code store_001}, {@code store_002}), a store manager of {@code store_001}, and a region of its own
 * with {@code store_it9} that neither manager may see. Recreated on every run.
 */
final class ScopeTestData {

    static final String OTHER_REGION = "it-other";
    static final String OTHER_STORE = "store_it9";

    static final String REGIONAL = "it-regional";
    static final String REGIONAL_PASSWORD = "it-regional-secret";
    static final String STORE_MANAGER = "it-store";
    static final String STORE_MANAGER_PASSWORD = "it-store-secret";

    private ScopeTestData() {
    }

    static void createOtherRegionAndUsers(EntityManager em, UserTransaction tx, PortalUserService users,
            Pbkdf2PasswordHash hash) throws Exception {
        tx.begin();
        em.joinTransaction();
        em.createNativeQuery("INSERT INTO region (id, code, name) SELECT 907, ?1, 'IT other region'"
                + " WHERE NOT EXISTS (SELECT 1 FROM region WHERE code = ?1)").setParameter(1, OTHER_REGION)
                .executeUpdate();
        em.createNativeQuery("INSERT INTO store (id, code, name, region_id, time_zone)"
                + " SELECT 907, ?1, 'IT store 9 <b>bold</b>', 907, 'Europe/Lisbon'"
                + " WHERE NOT EXISTS (SELECT 1 FROM store WHERE code = ?1)").setParameter(1, OTHER_STORE)
                .executeUpdate();
        em.createNativeQuery("INSERT INTO camera (id, store_id, code, name) SELECT 907, 907, 'cam-1', 'Entrance'"
                + " WHERE NOT EXISTS (SELECT 1 FROM camera WHERE id = 907)").executeUpdate();
        for (String user : new String[] {REGIONAL, STORE_MANAGER}) {
            em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, user).executeUpdate();
        }
        tx.commit();
        // a cheap hash: the stored hash carries its iterations, so the identity store verifies it all the same
        hash.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "1024"));
        users.create(REGIONAL, hash.generate(REGIONAL_PASSWORD.toCharArray()), "IT regional manager",
                Set.of(AppUser.ROLE_REGIONAL_MANAGER));
        users.assignScope(REGIONAL, Set.of("demo"), Set.of());
        users.create(STORE_MANAGER, hash.generate(STORE_MANAGER_PASSWORD.toCharArray()), "IT store manager",
                Set.of(AppUser.ROLE_STORE_MANAGER));
        users.assignScope(STORE_MANAGER, Set.of(), Set.of("store_001"));
    }

    /**
     * Removes the other region, its store and the managers again, with the given test customers (and so their
     * visits): other test classes of the same run expect only the demo stores.
     */
    static void remove(EntityManager em, UserTransaction tx, java.util.List<Long> customerIds) throws Exception {
        tx.begin();
        em.joinTransaction();
        for (long id : customerIds) {
            em.createNativeQuery("DELETE FROM customer WHERE id = ?1").setParameter(1, id).executeUpdate();
        }
        em.createNativeQuery("DELETE FROM visit WHERE store_id = 907").executeUpdate();
        // a daily-aggregates run of another test class may have covered the store
        em.createNativeQuery("DELETE FROM customer_store_day_aggregate WHERE store_id = 907").executeUpdate();
        em.createNativeQuery("DELETE FROM store_day_aggregate WHERE store_id = 907").executeUpdate();
        em.createNativeQuery("DELETE FROM camera WHERE store_id = 907").executeUpdate();
        for (String user : new String[] {REGIONAL, STORE_MANAGER}) {
            em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, user).executeUpdate();
        }
        em.createNativeQuery("DELETE FROM store WHERE id = 907").executeUpdate();
        em.createNativeQuery("DELETE FROM region WHERE id = 907").executeUpdate();
        tx.commit();
    }
}
