package com.rva.web.portal;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.stream.Stream;

import com.rva.domain.AppUser;
import com.rva.web.security.SecurityConfiguration;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/** The signed-in user as the page header shows it, and signing out. */
@Named
@RequestScoped
public class PortalUser {

    @Inject
    private SecurityContext securityContext;

    public String getName() {
        Principal caller = securityContext.getCallerPrincipal();
        return caller == null ? "" : caller.getName();
    }

    public String getRoles() {
        List<String> roles = Stream.of(AppUser.ROLE_ADMIN, AppUser.ROLE_REGIONAL_MANAGER, AppUser.ROLE_STORE_MANAGER)
                .filter(securityContext::isCallerInRole)
                .toList();
        return String.join(", ", roles);
    }

    /** Ends the authentication and the session, then shows the login page. */
    public void logout() throws ServletException, IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        ((HttpServletRequest) external.getRequest()).logout();
        external.invalidateSession();
        external.redirect(external.getRequestContextPath() + SecurityConfiguration.LOGIN_PAGE + "?signedOut=true");
        faces.responseComplete();
    }
}
