package com.rva.it.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.it.RvaDeployment;

/**
 * Form login to the portal over plain HTTP: pages send an anonymous caller to the login page, the login returns
 * to the page asked for with a new session id, the session cookie is HttpOnly and SameSite=Lax, wrong passwords
 * land on the error page, and a portal session also opens the API.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortalSecurityIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(PortalSecurityIT.class, Http.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void loginReturnsToThePageAskedForWithANewSession() throws Exception {
        URI page = Http.uri(base, "customers.xhtml?from=2019-03-04&to=2019-03-06");
        HttpResponse<String> loginPage = Http.get(page);
        assertEquals(200, loginPage.statusCode());
        assertTrue(loginPage.body().contains("j_security_check"), loginPage.body());
        assertTrue(loginPage.body().contains("id=\"j_username\""));
        String cookieHeader = Http.sessionCookieHeader(loginPage).orElseThrow().toLowerCase(Locale.ROOT);
        assertTrue(cookieHeader.contains("httponly"), cookieHeader);
        assertTrue(cookieHeader.contains("samesite=lax"), cookieHeader);
        assertEquals("DENY", loginPage.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("nosniff", loginPage.headers().firstValue("X-Content-Type-Options").orElse(""));
        String anonymousSession = Http.sessionCookie(loginPage);

        HttpResponse<String> login = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", Http.ADMIN_PASSWORD), "Cookie", anonymousSession);
        assertEquals(302, login.statusCode(), login.body());
        assertTrue(login.headers().firstValue("Location").orElse("")
                .endsWith("/rva/customers.xhtml?from=2019-03-04&to=2019-03-06"), login.headers().map().toString());
        String session = Http.sessionCookie(login);
        assertNotEquals(anonymousSession, session, "the session id must change at login (session fixation)");
        HttpResponse<String> anonymousAgain = Http.get(page, "Cookie", anonymousSession);
        assertTrue(anonymousAgain.body().contains("j_security_check"), "the old session id is worth nothing");

        HttpResponse<String> customers = Http.get(URI.create(login.headers().firstValue("Location").get()),
                "Cookie", session);
        assertEquals(200, customers.statusCode());
        session = Http.sessionCookie(customers, session);
        assertTrue(customers.body().contains("Visits per customer"), customers.body());
        assertTrue(customers.body().contains("id=\"current-user\""));
        assertTrue(customers.body().contains(" admin"));
        assertTrue(customers.body().contains("2019-03-04 to 2019-03-06 (UTC days), all stores"), customers.body());

        // the portal's address opens the dashboard; the session also opens the API
        HttpResponse<String> home = Http.get(Http.uri(base, ""), "Cookie", session);
        assertEquals(302, home.statusCode());
        assertTrue(home.headers().firstValue("Location").orElse("").endsWith("/rva/dashboard.xhtml"));
        HttpResponse<String> api = Http.get(Http.uri(base, "api/v1/aggregates?from=2000-01-01&to=2000-01-01"),
                "Cookie", session);
        assertEquals(200, api.statusCode(), api.body());
        assertEquals("{}", api.body());

        // bad filters in a shared URL: reported (escaped, never markup) and replaced by the defaults
        HttpResponse<String> bad = Http.get(Http.uri(base,
                "customers.xhtml?from=garbage&stores=%3Cscript%3Ealert(1)%3C/script%3E"), "Cookie", session);
        assertEquals(200, bad.statusCode());
        assertTrue(bad.body().contains("&#39;from&#39; must be a day like 2024-11-26")
                || bad.body().contains("'from' must be a day like 2024-11-26"), bad.body());
        assertTrue(bad.body().contains("Unknown store code &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; ignored")
                || bad.body().contains("Unknown store code '&lt;script&gt;alert(1)&lt;/script&gt;' ignored"),
                bad.body());
        assertTrue(!bad.body().contains("<script>alert(1)"), bad.body());

        // a form posted after its view expired (session timeout, restart) starts again from the home page
        HttpResponse<String> expired = Http.postForm(Http.uri(base, "customers.xhtml"),
                Map.of("filters", "filters", "filters:apply", "", "jakarta.faces.ViewState", "-123:456"),
                "Cookie", session);
        assertEquals(302, expired.statusCode(), expired.body());
        assertTrue(expired.headers().firstValue("Location").orElse("").endsWith("/rva/dashboard.xhtml"),
                expired.headers().map().toString());
    }

    @Test
    void aWrongPasswordShowsTheErrorPageAndTheNextTryStillReturnsToThePage() throws Exception {
        HttpResponse<String> loginPage = Http.get(Http.uri(base, "customers.xhtml"));
        String session = Http.sessionCookie(loginPage);
        HttpResponse<String> wrong = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", "wrong"), "Cookie", session);
        assertEquals(302, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Location").orElse("").endsWith("/rva/login-error.xhtml"));
        session = Http.sessionCookie(wrong, session);
        HttpResponse<String> errorPage = Http.get(URI.create(wrong.headers().firstValue("Location").get()),
                "Cookie", session);
        assertEquals(200, errorPage.statusCode());
        assertTrue(errorPage.body().contains("Wrong user name or password"));
        session = Http.sessionCookie(errorPage, session);

        HttpResponse<String> right = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", Http.ADMIN_PASSWORD), "Cookie", session);
        assertEquals(302, right.statusCode());
        assertTrue(right.headers().firstValue("Location").orElse("").endsWith("/rva/customers.xhtml"),
                right.headers().map().toString());
    }

    @Test
    void aLoginFromTheLoginPageOpenedDirectlyGoesHome() throws Exception {
        HttpResponse<String> loginPage = Http.get(Http.uri(base, "login.xhtml"));
        assertEquals(200, loginPage.statusCode());
        assertTrue(loginPage.body().contains("j_security_check"));

        HttpResponse<String> wrong = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", "wrong"));
        assertEquals(302, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().firstValue("Location").orElse("").endsWith("/rva/login-error.xhtml"));

        HttpResponse<String> right = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", Http.ADMIN_PASSWORD));
        assertEquals(302, right.statusCode(), right.body());
        assertTrue(right.headers().firstValue("Location").orElse("").endsWith("/rva/"),
                right.headers().map().toString());
        HttpResponse<String> home = Http.get(URI.create(right.headers().firstValue("Location").get()),
                "Cookie", Http.sessionCookie(right));
        assertEquals(302, home.statusCode(), "a logged-in session reaches the home redirect");
        assertTrue(home.headers().firstValue("Location").orElse("").endsWith("/rva/dashboard.xhtml"));
    }

    @Test
    void pagesNeedALoginButTheLoginResourcesAndHealthDoNot() throws Exception {
        HttpResponse<String> page = Http.get(Http.uri(base, "customers.xhtml"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("j_security_check"), "an anonymous caller sees the login form");
        assertTrue(!page.body().contains("Visits per customer"));

        String css = page.body().replaceAll("(?s).*href=\"([^\"]*portal\\.css[^\"]*)\".*", "$1").replace("&amp;", "&");
        assertTrue(css.contains("jakarta.faces.resource"), css);
        HttpResponse<String> stylesheet = Http.get(URI.create(base.getProtocol() + "://" + base.getAuthority() + css));
        assertEquals(200, stylesheet.statusCode());
        assertTrue(stylesheet.body().contains(".rva-header"));

        assertEquals(200, Http.get(Http.uri(base, "api/v1/health")).statusCode());
    }
}
