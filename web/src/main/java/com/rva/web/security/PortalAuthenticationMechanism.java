package com.rva.web.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The one authentication mechanism of the web module. Pages go to the container's form mechanism (declared in
 * {@link SecurityConfiguration}: login page, return to the page asked for, session). The REST API under
 * {@code /api/} must never answer with a login page: it takes HTTP Basic credentials (checked against the same
 * identity store, no session created), also accepts a logged-in portal session, and otherwise answers 401.
 * <p>
 * Jakarta Security 3 allows a single mechanism, so this one is an enabled alternative that delegates to the
 * bean the form definition creates.
 */
@ApplicationScoped
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
public class PortalAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String REALM = "rva";

    @Inject
    private BeanManager beanManager;

    @Inject
    private IdentityStoreHandler identityStoreHandler;

    @jakarta.ejb.EJB
    private com.rva.application.security.LoginAttemptService attempts;

    private HttpAuthenticationMechanism form;

    @PostConstruct
    void findFormMechanism() {
        List<Bean<?>> others = beanManager.getBeans(HttpAuthenticationMechanism.class).stream()
                .filter(b -> !PortalAuthenticationMechanism.class.equals(b.getBeanClass()))
                .toList();
        if (others.size() != 1) {
            throw new IllegalStateException("Expected exactly one other authentication mechanism (the form one of "
                    + SecurityConfiguration.class.getSimpleName() + "), found " + others);
        }
        Bean<?> bean = others.get(0);
        form = (HttpAuthenticationMechanism) beanManager.getReference(bean, HttpAuthenticationMechanism.class,
                beanManager.createCreationalContext(bean));
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws AuthenticationException {
        if (isApi(request)) {
            return validateApiRequest(request, response, context);
        }
        if (isLoginPost(request) && request.getSession(false) != null) {
            // The form mechanism keeps a successful login in the anonymous session and tells the container only on
            // the next request, so the container's own id change comes too late: renew the id at every login post
            // (before the mechanism redirects and the response is committed), leaving no fixed id to exploit.
            request.changeSessionId();
        }
        String loginName = isLoginPost(request) ? request.getParameter("j_username") : null;
        if (loginName != null && attempts.isLocked(loginName)) {
            // locked: refused like a wrong password, without even checking this one
            return context.redirect(request.getContextPath() + SecurityConfiguration.LOGIN_ERROR_PAGE);
        }
        AuthenticationStatus status = form.validateRequest(request, response, context);
        if (loginName != null) {
            if (status == AuthenticationStatus.SEND_FAILURE) {
                attempts.failed(loginName);
            } else if (status == AuthenticationStatus.SUCCESS || status == AuthenticationStatus.SEND_CONTINUE) {
                attempts.succeeded(loginName);
            }
        }
        if (status == AuthenticationStatus.SEND_FAILURE && isLoginPost(request) && !response.isCommitted()
                && !response.containsHeader("Location")) {
            // A login from a login page opened directly (no page to go back to) failed: the form mechanism only
            // shows the error page when it sent the caller to the login page itself.
            return context.redirect(request.getContextPath() + SecurityConfiguration.LOGIN_ERROR_PAGE);
        }
        return status;
    }

    private AuthenticationStatus validateApiRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws AuthenticationException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            UsernamePasswordCredential credential = basicCredential(authorization.substring(6).trim());
            if (credential != null) {
                if (attempts.isLocked(credential.getCaller())) {
                    return unauthorized(response, "Wrong user name or password");
                }
                CredentialValidationResult result = identityStoreHandler.validate(credential);
                if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                    attempts.succeeded(credential.getCaller());
                    return context.notifyContainerAboutLogin(result);
                }
                attempts.failed(credential.getCaller());
            }
            return unauthorized(response, "Wrong user name or password");
        }
        if (request.getUserPrincipal() != null) {
            // a portal session: the form mechanism re-applies it
            return form.validateRequest(request, response, context);
        }
        if (context.isProtected()) {
            return unauthorized(response, "Authentication required: use HTTP Basic with a portal user");
        }
        return context.doNothing();
    }

    @Override
    public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws AuthenticationException {
        return form.secureResponse(request, response, context);
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        form.cleanSubject(request, response, context);
    }

    /** Whether the request is for the REST API, judged by its decoded path inside the application. */
    static boolean isApi(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.startsWith(SecurityConfiguration.API_PATH);
    }

    private static boolean isLoginPost(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && request.getRequestURI().endsWith(SecurityConfiguration.LOGIN_ACTION);
    }

    /** The credential of a Basic header's value, or null when it is not {@code base64(user:password)}. */
    static UsernamePasswordCredential basicCredential(String token) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static AuthenticationStatus unauthorized(HttpServletResponse response, String message) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try {
            response.getWriter().write("{\"status\":401,\"message\":\"" + message + "\"}");
        } catch (IOException e) {
            // the status and header are what matters; the body is a courtesy
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
