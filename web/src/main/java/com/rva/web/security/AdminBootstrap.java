package com.rva.web.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.security.PortalUserService;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/**
 * Makes a fresh installation reachable: when there is no portal user at all, it creates {@code admin} (role
 * ADMIN) with the password of the system property {@value #PASSWORD_PROPERTY}, or with a random one that it
 * logs once (the only time it exists in clear). It lives in the web module because that is where Jakarta
 * Security's {@code Pbkdf2PasswordHash} can be injected.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class AdminBootstrap {

    static final String PASSWORD_PROPERTY = "rva.admin.initial-password";
    static final String ADMIN = "admin";

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 16;

    @Inject
    private Pbkdf2PasswordHash passwordHash;

    @EJB
    private PortalUserService users;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void createFirstAdministrator() {
        if (users.countUsers() > 0) {
            return;
        }
        String configured = System.getProperty(PASSWORD_PROPERTY);
        boolean generate = configured == null || configured.isBlank();
        char[] password = generate ? randomPassword(new SecureRandom()) : configured.toCharArray();
        try {
            if (!users.createFirstAdministrator(ADMIN, PasswordHashing.hash(passwordHash, password))) {
                return;
            }
            if (generate) {
                LOG.log(Level.WARNING, "Created portal user {0} (role ADMIN) with the generated password {1}"
                        + " - it is shown only this once; set -D{2} to choose it instead",
                        new Object[] {ADMIN, new String(password), PASSWORD_PROPERTY});
            } else {
                LOG.log(Level.INFO, "Created portal user {0} (role ADMIN) with the password of -D{1}",
                        new Object[] {ADMIN, PASSWORD_PROPERTY});
            }
        } catch (EJBException e) {
            // another cluster node created the first user at the same moment
            LOG.log(Level.WARNING, "Could not create portal user " + ADMIN + " (created elsewhere meanwhile?): "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static char[] randomPassword(SecureRandom random) {
        char[] password = new char[GENERATED_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return password;
    }
}
