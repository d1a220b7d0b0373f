package com.rva.web.security;

import com.rva.domain.AppUser;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.FormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;
import jakarta.security.enterprise.identitystore.DatabaseIdentityStoreDefinition;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/**
 * Jakarta Security for the portal and the API: form login against the users in the application database.
 * The form mechanism is wrapped by {@link PortalAuthenticationMechanism}, which answers API calls with
 * HTTP Basic and 401 instead of a login page. Which URLs need which roles is in web.xml.
 */
@ApplicationScoped
@DeclareRoles({AppUser.ROLE_ADMIN, AppUser.ROLE_REGIONAL_MANAGER, AppUser.ROLE_STORE_MANAGER})
@FormAuthenticationMechanismDefinition(loginToContinue = @LoginToContinue(
        loginPage = SecurityConfiguration.LOGIN_PAGE,
        errorPage = SecurityConfiguration.LOGIN_ERROR_PAGE,
        useForwardToLogin = true))
@DatabaseIdentityStoreDefinition(
        dataSourceLookup = "java:jboss/datasources/RvaDS",
        callerQuery = "select password_hash from app_user where username = ?",
        groupsQuery = "select role_name from app_user_role where username = ?",
        hashAlgorithm = Pbkdf2PasswordHash.class,
        hashAlgorithmParameters = {PasswordHashing.ALGORITHM, PasswordHashing.ITERATIONS,
                PasswordHashing.SALT_SIZE, PasswordHashing.KEY_SIZE})
public class SecurityConfiguration {

    public static final String LOGIN_PAGE = "/login.xhtml";
    public static final String LOGIN_ERROR_PAGE = "/login-error.xhtml";
    /** The form posts here; the container's form mechanism handles the post. */
    public static final String LOGIN_ACTION = "/j_security_check";
    /** Everything under it is the REST API: Basic authentication and 401s, never a login page. */
    public static final String API_PATH = "/api/";
}
