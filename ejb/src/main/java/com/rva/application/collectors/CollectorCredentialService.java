package com.rva.application.collectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.audit.AuditService;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.CollectorAccount;
import com.rva.domain.Store;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

/**
 * Creates and rotates a store's collector credentials (issue 5 item 3). The server's broker authenticates
 * collectors against {@code collector_account.secret_hash}/{@code secret_salt} through the Elytron jdbc-realm
 * {@code RvaCollectorRealm} (server.cli), so a new secret works for the next login and the old one stops working at
 * once. The secret is returned once and never stored, logged or audited; admins only; every change is audited.
 */
@Stateless
public class CollectorCredentialService {

    private static final Logger LOG = Logger.getLogger(CollectorCredentialService.class.getName());
    /** A broker login: what WildFly's own user tools accepted too, so old and new logins look alike. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 24;
    private static final int SALT_BYTES = 16;

    private final Clock clock = Clock.systemUTC();

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private CallerScopeService scopes;

    @EJB
    private AuditService audit;

    /**
     * New credentials for {@code storeCode}'s collector. With no {@code login}: the store's one collector account
     * (rotated), or a new one named after the store ({@code store_001} logs in as {@code store-001}). With a
     * {@code login}: that account (which must belong to the store), created when it does not exist.
     *
     * @throws OutOfScopeException      when the caller is not an admin
     * @throws UnknownStoreException    for a store code that does not exist
     * @throws CollectorCredentialException for a malformed login, one of another store, or a store with several
     *                                  accounts and no login chosen
     */
    public IssuedCredentials issue(String storeCode, String login) {
        if (!scopes.current().allStores()) {
            throw new OutOfScopeException("Only an admin may create or rotate collector credentials");
        }
        Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", storeCode)
                .getResultStream().findFirst().orElseThrow(() -> new UnknownStoreException(storeCode));
        CollectorAccount account;
        if (login == null || login.isBlank()) {
            List<CollectorAccount> own = em.createNamedQuery(CollectorAccount.BY_STORE, CollectorAccount.class)
                    .setParameter("store", store).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            if (own.size() > 1) {
                throw new CollectorCredentialException("Store " + storeCode + " has " + own.size()
                        + " collector accounts; name the one to rotate (login)");
            }
            account = own.isEmpty() ? null : own.get(0);
            login = account != null ? account.getUsername() : defaultLogin(storeCode);
        } else {
            login = login.trim();
            account = em.find(CollectorAccount.class, login, LockModeType.PESSIMISTIC_WRITE);
        }
        if (!LOGIN.matcher(login).matches()) {
            throw new CollectorCredentialException("A collector login has 1-100 letters, digits, '.' or '-' and starts "
                    + "with a letter or digit");
        }
        if (account != null && !account.getStore().getId().equals(store.getId())) {
            throw new CollectorCredentialException("Login " + login + " is a collector of another store");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        boolean created = account == null;
        if (created) {
            account = new CollectorAccount(login, store, now);
            em.persist(account);
        }
        String secret = randomText(SECRET_BYTES);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        account.replaceSecret(hash(secret, salt), Base64.getEncoder().encodeToString(salt), now);
        em.flush();
        String what = (created ? "created" : "rotated") + " collector credentials of " + login + " for store " + storeCode;
        audit.record(AuditService.COLLECTOR_CREDENTIALS, what);
        LOG.info(what);
        return new IssuedCredentials(storeCode, login, secret, created, now);
    }

    /** The login a store's first collector account gets: the store code with '_' as '-'. */
    public static String defaultLogin(String storeCode) {
        return storeCode.replace('_', '-');
    }

    /**
     * The realm's {@code password-salt-digest-sha-256}: base64(SHA-256(UTF-8 secret, then salt)). Public for tests.
     */
    public static String hash(String secret, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            md.update(salt);
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
