package com.rva.it;

import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

import org.wildfly.security.auth.server.SecurityDomain;

/**
 * Runs in-server test code as a given portal user, the way a logged-in request would: the read side derives the
 * caller's scope from the principal, so a test without one sees nothing. Uses Elytron's ad-hoc identity of the
 * deployment's security domain ({@link RvaDeployment} adds the module dependency).
 */
public final class AsCaller {

    private AsCaller() {
    }

    public static <T> T call(String username, PrivilegedExceptionAction<T> action) throws Exception {
        SecurityDomain domain = SecurityDomain.getCurrent();
        if (domain == null) {
            throw new IllegalStateException("No Elytron security domain around the test: cannot act as " + username);
        }
        try {
            return domain.createAdHocIdentity(username).runAs(action);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    public static <T> T admin(PrivilegedExceptionAction<T> action) throws Exception {
        return call("admin", action);
    }
}
