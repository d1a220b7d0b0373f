package com.rva.it.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.security.CallerScopeService;
import com.rva.application.security.LoginAttemptService;
import com.rva.application.security.PortalUserService;
import com.rva.domain.AppUser;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;

/**
 * Lock-out after repeated failed logins (portal and API), the password change page (a protected view), and an
 * admin creating a store manager through the users page - each audited.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityHardeningIT {

    static final String LOCKED = "it-lock";
    static final String LOCKED_PASSWORD = "it-lock-secret";
    static final String CHANGER = "it-change";
    static final String CHANGER_PASSWORD = "it-change-old-secret";
    static final String CHANGER_NEW_PASSWORD = "it-change-new-secret";
    static final String CREATED = "it-created";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(SecurityHardeningIT.class, Http.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    PortalUserService users;

    @Inject
    LoginAttemptService attempts;

    @Inject
    CallerScopeService scopes;

    @Inject
    Pbkdf2PasswordHash hash;

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void createUsers() throws Exception {
        tx.begin();
        em.joinTransaction();
        for (String u : new String[] {LOCKED, CHANGER, CREATED}) {
            em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, u).executeUpdate();
            // the audit log of earlier runs (the test database lives on between builds)
            em.createNativeQuery("DELETE FROM audit_log WHERE username = ?1 OR detail LIKE ?2").setParameter(1, u)
                    .setParameter(2, "created " + u + "%").executeUpdate();
        }
        tx.commit();
        hash.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "1024"));
        users.create(LOCKED, hash.generate(LOCKED_PASSWORD.toCharArray()), "Locked", Set.of(AppUser.ROLE_STORE_MANAGER));
        users.create(CHANGER, hash.generate(CHANGER_PASSWORD.toCharArray()), "Changer",
                Set.of(AppUser.ROLE_STORE_MANAGER));
    }

    @Test
    @Order(2)
    @RunAsClient
    void fiveWrongPasswordsLockTheUserOutOfPortalAndApi() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertTrue(login(LOCKED, "wrong-" + i).contains("login-error"));
        }
        assertTrue(login(LOCKED, LOCKED_PASSWORD).contains("login-error"), "locked: the right password is refused");
        HttpResponse<String> api = Http.get(Http.uri(base, "api/v1/stores"), "Authorization",
                Http.basic(LOCKED, LOCKED_PASSWORD));
        assertEquals(401, api.statusCode());
        // an unknown name is answered the same way and locks nothing
        assertTrue(login("it-nobody", "x").contains("login-error"));
    }

    @Test
    @Order(3)
    void theLockIsAuditedAndAnAdminLiftsIt() throws Exception {
        assertTrue(attempts.isLocked(LOCKED));
        assertEquals(1L, em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.username = :u"
                + " AND a.action = 'LOGIN_LOCKED'", Long.class).setParameter("u", LOCKED).getSingleResult());
        AsCaller.admin(() -> {
            attempts.unlock(LOCKED);
            return null;
        });
        assertTrue(!attempts.isLocked(LOCKED));
    }

    @Test
    @Order(4)
    @RunAsClient
    void afterTheUnlockTheRightPasswordWorks() throws Exception {
        assertTrue(!login(LOCKED, LOCKED_PASSWORD).contains("login-error"));
    }

    @Test
    @Order(5)
    @RunAsClient
    void aUserChangesItsPasswordThroughTheProtectedPage() throws Exception {
        String session = session(CHANGER, CHANGER_PASSWORD);
        HttpResponse<String> dashboard = Http.get(Http.uri(base, "dashboard.xhtml"), "Cookie", session);
        Matcher link = Pattern.compile("id=\"logout-form:password-link\"[^>]*href=\"([^\"]+)\"").matcher(dashboard.body());
        assertTrue(link.find(), dashboard.body());
        String href = link.group(1).replace("&amp;", "&");
        assertTrue(href.contains("jakarta.faces.Token="), "a protected view's link carries the token: " + href);
        HttpResponse<String> page = Http.get(Http.uri(base, href.replaceFirst("^/rva/", "")), "Cookie", session);
        assertEquals(200, page.statusCode(), page.body());

        // a wrong current password changes nothing
        Map<String, String> form = form(page.body(), "password", "password:change");
        form.put("password:current", "not-it");
        form.put("password:replacement", CHANGER_NEW_PASSWORD);
        form.put("password:confirmation", CHANGER_NEW_PASSWORD);
        HttpResponse<String> wrong = Http.postForm(action(page.body(), "password"), form, "Cookie", session);
        assertTrue(wrong.body().contains("The current password is not right"), wrong.body());

        form = form(wrong.body(), "password", "password:change");
        form.put("password:current", CHANGER_PASSWORD);
        form.put("password:replacement", CHANGER_NEW_PASSWORD);
        form.put("password:confirmation", CHANGER_NEW_PASSWORD);
        HttpResponse<String> changed = Http.postForm(action(wrong.body(), "password"), form, "Cookie", session);
        assertTrue(changed.body().contains("Your password has been changed"), changed.body());

        assertTrue(login(CHANGER, CHANGER_PASSWORD).contains("login-error"), "the old password is gone");
        assertTrue(!login(CHANGER, CHANGER_NEW_PASSWORD).contains("login-error"), "the new one works");
    }

    @Test
    @Order(6)
    @RunAsClient
    void anAdminCreatesAStoreManagerOnTheUsersPage() throws Exception {
        String session = session(Http.ADMIN, Http.ADMIN_PASSWORD);
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/users.xhtml"), "Cookie", session);
        assertEquals(200, page.statusCode());
        Map<String, String> form = form(page.body(), "edit", "edit:save");
        form.put("edit:username", CREATED);
        form.put("edit:display", "Created <script>alert(1)</script>");
        form.put("edit:password", "it-created-secret");
        form.put("edit:roles", AppUser.ROLE_STORE_MANAGER);
        form.put("edit:stores", "store_002");
        HttpResponse<String> saved = Http.postForm(action(page.body(), "edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved " + CREATED), saved.body());
        assertTrue(saved.body().contains("Created &lt;script&gt;alert(1)&lt;/script&gt;"), "escaped");
        assertTrue(!saved.body().contains("<script>alert(1)"));
        HttpResponse<String> api = Http.get(Http.uri(base, "api/v1/stores"), "Authorization",
                Http.basic(CREATED, "it-created-secret"));
        assertEquals(200, api.statusCode());
        assertTrue(api.body().contains("\"store_002\"") && !api.body().contains("\"store_001\""), api.body());
    }

    @Test
    @Order(7)
    void passwordChangesAndUserChangesAreAudited() {
        assertEquals(1L, em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.username = :u"
                + " AND a.action = 'PASSWORD_CHANGE'", Long.class).setParameter("u", CHANGER).getSingleResult());
        assertTrue(em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.username = 'admin'"
                + " AND a.action = 'USER_CHANGE' AND a.detail LIKE :d", Long.class)
                .setParameter("d", "created " + CREATED + "%stores [store_002]%").getSingleResult() >= 1);
    }

    /** Logs in from the login page; the Location the post answers with. */
    private String login(String user, String password) throws Exception {
        HttpResponse<String> r = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", user, "j_password", password));
        assertEquals(302, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElse("");
    }

    private String session(String user, String password) throws Exception {
        HttpResponse<String> loginPage = Http.get(Http.uri(base, "login.xhtml"));
        String session = Http.sessionCookie(loginPage);
        HttpResponse<String> r = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", user, "j_password", password), "Cookie", session);
        assertTrue(!r.headers().firstValue("Location").orElse("").contains("login-error"), user);
        return Http.sessionCookie(r, session);
    }

    private static Map<String, String> form(String html, String formId, String button) {
        Matcher state = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(html);
        assertTrue(state.find(), "a view state");
        Map<String, String> form = new HashMap<>();
        form.put(formId, formId);
        form.put(button, "");
        form.put("jakarta.faces.ViewState", state.group(1));
        return form;
    }

    private URI action(String html, String formId) {
        Matcher m = Pattern.compile("<form id=\"" + formId + "\"[^>]*action=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "form " + formId);
        return Http.uri(base, m.group(1).replace("&amp;", "&").replaceFirst("^/rva/", ""));
    }
}
