package com.rva.it.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The admin pages through HTTP as an admin: regions and stores (hostile code refused, markup in a name escaped, a
 * bad time zone refused), a camera whose password never comes back (neither on the page nor in the audit log),
 * settings (out of range refused and not stored; a change audited with old and new value) and report recipients
 * (a hostile address refused). Everything it creates is removed at the end.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPagesIT {

    private static final String REGION = "it-admin-r";
    private static final String STORE = "store_itadm";
    private static final String SECRET_IN_URL = "urlS3cret";
    private static final String PASSWORD = "pwTopSecret";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(AdminPagesIT.class, Http.class);
    }

    @ArquillianResource
    URL base;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    SettingsService settings;

    @Test
    @Order(1)
    @RunAsClient
    void regionsAndStoresRefuseHostileInputAndEscapeMarkup() throws Exception {
        String session = session();
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/stores.xhtml"), "Cookie", session);
        assertEquals(200, page.statusCode());
        Map<String, String> form = form(page.body(), "region-edit", "region-edit:save");
        form.put("region-edit:code", REGION);
        form.put("region-edit:name", "Admin IT <script>alert(1)</script>");
        HttpResponse<String> saved = Http.postForm(action(page.body(), "region-edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved region " + REGION), abbreviate(saved.body()));
        assertTrue(saved.body().contains("Admin IT &lt;script&gt;alert(1)&lt;/script&gt;"), "escaped");
        assertFalse(saved.body().contains("<script>alert(1)"));

        page = Http.get(Http.uri(base, "admin/stores.xhtml?region=" + REGION), "Cookie", session);
        form = storeForm(page.body(), "<script>x</script>", "Europe/Vienna");
        HttpResponse<String> refused = Http.postForm(action(page.body(), "store-edit"), form, "Cookie", session);
        assertTrue(refused.body().contains("Store code must be 1 to 64 letters"), abbreviate(refused.body()));

        form = storeForm(refused.body(), STORE, "Mars/Olympus_Mons");
        refused = Http.postForm(action(refused.body(), "store-edit"), form, "Cookie", session);
        assertTrue(refused.body().contains("is not a time zone"), abbreviate(refused.body()));

        form = storeForm(refused.body(), STORE, "Europe/Vienna");
        saved = Http.postForm(action(refused.body(), "store-edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved store " + STORE), abbreviate(saved.body()));
        page = Http.get(Http.uri(base, "admin/stores.xhtml?region=" + REGION), "Cookie", session);
        assertTrue(page.body().contains("IT &lt;b&gt;store&lt;/b&gt;") && page.body().contains("Europe/Vienna"),
                abbreviate(page.body()));
        assertFalse(page.body().contains("<b>store</b>"));
    }

    @Test
    @Order(2)
    @RunAsClient
    void aCameraPasswordNeverComesBack() throws Exception {
        String session = session();
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/cameras.xhtml?store=" + STORE), "Cookie", session);
        assertEquals(200, page.statusCode());
        Map<String, String> form = form(page.body(), "edit", "edit:save");
        form.put("edit:code", "cam-adm");
        form.put("edit:name", "Entrance");
        form.put("edit:type_input", "RTSP");
        form.put("edit:url", "rtsp://viewer:" + SECRET_IN_URL + "@10.0.0.5:554/stream");
        form.put("edit:user", "viewer");
        form.put("edit:password", PASSWORD);
        form.put("edit:interval", "20");
        form.put("edit:enabled_input", "on");
        HttpResponse<String> saved = Http.postForm(action(page.body(), "edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved camera cam-adm"), abbreviate(saved.body()));
        page = Http.get(Http.uri(base, "admin/cameras.xhtml?store=" + STORE), "Cookie", session);
        assertTrue(page.body().contains("rtsp://viewer:****@10.0.0.5:554/stream"), abbreviate(page.body()));
        assertFalse(page.body().contains(SECRET_IN_URL) || page.body().contains(PASSWORD), "no password on the page");

        form = form(page.body(), "edit", "edit:save");
        form.put("edit:code", "cam-bad");
        form.put("edit:name", "Bad");
        form.put("edit:type_input", "HTTP");
        form.put("edit:url", "javascript:alert(1)");
        form.put("edit:interval", "999999");
        HttpResponse<String> refused = Http.postForm(action(page.body(), "edit"), form, "Cookie", session);
        assertTrue(refused.body().contains("Source URL does not fit type HTTP"), abbreviate(refused.body()));
    }

    @Test
    @Order(3)
    @RunAsClient
    void settingsOutOfRangeAreRefusedAndChangesAudited() throws Exception {
        String session = session();
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/settings.xhtml"), "Cookie", session);
        assertEquals(200, page.statusCode());
        int threshold = Setting.MATCH_THRESHOLD.ordinal();
        Map<String, String> form = form(page.body(), "settings", "settings:table:" + threshold + ":save");
        form.put("settings:table:" + threshold + ":value", "1.5");
        HttpResponse<String> refused = Http.postForm(action(page.body(), "settings"), form, "Cookie", session);
        assertTrue(refused.body().contains("Setting match.threshold must be a number between 0 and 1, not '1.5'"),
                abbreviate(refused.body()));

        int k = Setting.REPORT_K_ANONYMITY.ordinal();
        form = form(refused.body(), "settings", "settings:table:" + k + ":save");
        form.put("settings:table:" + k + ":value", "7");
        HttpResponse<String> saved = Http.postForm(action(refused.body(), "settings"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved reports.k-anonymity"), abbreviate(saved.body()));
    }

    @Test
    @Order(4)
    @RunAsClient
    void recipientsAreValidatedAddresses() throws Exception {
        String session = session();
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/recipients.xhtml?region=" + REGION), "Cookie", session);
        assertEquals(200, page.statusCode());
        Map<String, String> form = form(page.body(), "edit", "edit:add");
        form.put("edit:email", "x@example.com\r\nBcc: all@evil.example");
        HttpResponse<String> refused = Http.postForm(action(page.body(), "edit"), form, "Cookie", session);
        assertTrue(refused.body().contains("is not an e-mail address"), abbreviate(refused.body()));
        form = form(refused.body(), "edit", "edit:add");
        form.put("edit:email", "Ops@Example.COM");
        form.put("edit:name", "Ops <i>team</i>");
        HttpResponse<String> saved = Http.postForm(action(refused.body(), "edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Ops@example.com") && saved.body().contains("Ops &lt;i&gt;team&lt;/i&gt;"),
                abbreviate(saved.body()));
    }

    @Test
    @Order(5)
    @RunAsClient
    void jobsAreStartedAndScheduledFromThePage() throws Exception {
        String session = session();
        HttpResponse<String> page = Http.get(Http.uri(base, "admin/jobs.xhtml"), "Cookie", session);
        assertEquals(200, page.statusCode());
        Map<String, String> form = form(page.body(), "start", "start:run");
        form.put("start:job_input", "daily-aggregates");
        form.put("start:day", "2019-13-45");
        HttpResponse<String> refused = Http.postForm(action(page.body(), "start"), form, "Cookie", session);
        assertTrue(refused.body().contains("is not an ISO date such as 2024-11-26"), abbreviate(refused.body()));
        assertFalse(refused.body().contains("Started daily-aggregates as"), abbreviate(refused.body()));

        form = form(refused.body(), "start", "start:run");
        form.put("start:job_input", "seed-export");
        form.put("start:from", "2019-04-01");
        form.put("start:to", "2019-04-02");
        HttpResponse<String> started = Http.postForm(action(refused.body(), "start"), form, "Cookie", session);
        assertTrue(started.body().contains("Started seed-export as execution"), abbreviate(started.body()));

        form = form(started.body(), "schedule-edit", "schedule-edit:save");
        form.put("schedule-edit:job_input", "identity-consolidation");
        form.put("schedule-edit:hour_input", "3");
        form.put("schedule-edit:hour_hinput", "3");
        form.put("schedule-edit:minute_input", "15");
        form.put("schedule-edit:minute_hinput", "15");
        HttpResponse<String> saved = Http.postForm(action(started.body(), "schedule-edit"), form, "Cookie", session);
        assertTrue(saved.body().contains("Saved the schedule of identity-consolidation"), abbreviate(saved.body()));
        assertTrue(saved.body().contains("03:15 server time"), abbreviate(saved.body()));
    }

    @Test
    @Order(6)
    void everyChangeIsAuditedWithoutSecrets() throws Exception {
        assertEquals("0.50", settings.get(Setting.MATCH_THRESHOLD), "the refused value was not stored");
        assertEquals("7", settings.get(Setting.REPORT_K_ANONYMITY));
        List<String> details = em.createQuery("SELECT CONCAT(a.action, ' ', a.detail) FROM AuditEntry a"
                + " WHERE a.username = 'admin' AND a.action IN ('CATALOG_CHANGE', 'SETTING_CHANGE', 'RECIPIENT_CHANGE', 'JOB_CONTROL')"
                + " ORDER BY a.id", String.class).getResultList();
        String all = String.join("\n", details);
        assertTrue(all.contains("CATALOG_CHANGE created region " + REGION), all);
        assertTrue(all.contains("CATALOG_CHANGE created store " + STORE + " 'IT <b>store</b>' in region " + REGION
                + ", Europe/Vienna"), all);
        assertTrue(all.contains("CATALOG_CHANGE created camera " + STORE + "/cam-adm 'Entrance' RTSP"
                + " rtsp://viewer:****@10.0.0.5:554/stream every 20 s, password set"), all);
        assertTrue(all.contains("SETTING_CHANGE reports.k-anonymity: 5 -> 7"), all);
        assertFalse(all.contains("match.threshold: 0.50 -> 1.5"), all);
        assertTrue(all.contains("JOB_CONTROL started seed-export {from=2019-04-01, stores=, to=2019-04-02}")
                || all.contains("JOB_CONTROL started seed-export {from=2019-04-01, to=2019-04-02}"), all);
        assertTrue(all.contains("JOB_CONTROL schedule of identity-consolidation: 02:00") && all.contains("-> 03:15"), all);
        assertFalse(all.contains("JOB_CONTROL started daily-aggregates {day=2019-13-45"), all);
        assertTrue(all.contains("RECIPIENT_CHANGE added Ops@example.com to the report of region " + REGION), all);
        assertFalse(all.contains(SECRET_IN_URL) || all.contains(PASSWORD), "no password in the audit log");
        assertEquals(1L, ((Number) em.createNativeQuery("SELECT COUNT(*) FROM region_report_recipient r JOIN region g"
                + " ON g.id = r.region_id WHERE g.code = ?1").setParameter(1, REGION).getSingleResult()).longValue());
    }

    @Test
    @Order(99)
    void removeWhatWasCreated() throws Exception {
        tx.begin();
        try {
            settings.set(Setting.REPORT_K_ANONYMITY, Setting.REPORT_K_ANONYMITY.defaultValue());
            em.createNativeQuery("UPDATE job_schedule SET run_hour = 2, run_minute = 0, next_run_at = NULL"
                    + " WHERE job_name = 'identity-consolidation'").executeUpdate();
            em.createNativeQuery("DELETE FROM camera WHERE store_id IN (SELECT id FROM store WHERE code = ?1)")
                    .setParameter(1, STORE).executeUpdate();
            em.createNativeQuery("DELETE FROM store WHERE code = ?1").setParameter(1, STORE).executeUpdate();
            em.createNativeQuery("DELETE FROM region WHERE code = ?1").setParameter(1, REGION).executeUpdate();
            tx.commit();
        } catch (Exception e) {
            tx.rollback();
            throw e;
        }
    }

    private Map<String, String> storeForm(String html, String code, String zone) {
        Map<String, String> form = form(html, "store-edit", "store-edit:save");
        form.put("store-edit:code", code);
        form.put("store-edit:name", "IT <b>store</b>");
        form.put("store-edit:region_input", REGION);
        form.put("store-edit:zone_input", zone);
        form.put("store-edit:active_input", "on");
        return form;
    }

    private String session() throws Exception {
        HttpResponse<String> loginPage = Http.get(Http.uri(base, "login.xhtml"));
        String session = Http.sessionCookie(loginPage);
        HttpResponse<String> r = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", Http.ADMIN, "j_password", Http.ADMIN_PASSWORD), "Cookie", session);
        assertFalse(r.headers().firstValue("Location").orElse("").contains("login-error"));
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

    private static String abbreviate(String s) {
        int i = s.indexOf("ui-messages");
        return i < 0 ? (s.length() <= 600 ? s : s.substring(0, 600)) : s.substring(i, Math.min(s.length(), i + 600));
    }
}
