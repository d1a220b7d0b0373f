package com.rva.it.portal;

import static com.rva.it.portal.PortalTestData.visit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

import com.rva.application.security.PortalUserService;
import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;

/**
 * Every page and API endpoint, called as every role and as anonymous: who is let in, who gets 401/403 or the
 * login page, and - where data comes back - that it holds exactly the customers of the caller's stores. Customer
 * 921 visits store_001, 922 store_002 (both in the demo region), 923 store_it9 (another region). The admin sees
 * all three, the regional manager of the demo region 921 and 922, the store manager of store_001 only 921.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixIT {

    enum Caller { ANONYMOUS, ADMIN, REGIONAL, STORE }

    /** What a caller must get: a status, texts the body must hold and texts it must not. */
    record Expect(int status, List<String> present, List<String> absent) {
    }

    /** One target (page or API path) and what each caller gets there. */
    record Row(String path, boolean page, Map<Caller, Expect> expect) {
    }

    private static final String DAY = "from=2019-05-06&to=2019-05-06";
    private static final String LOGIN_FORM = "j_security_check";
    /** The other store's name holds markup: every page must show it escaped. */
    private static final String BOLD = "<b>bold</b>";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(AccessMatrixIT.class, PortalTestData.class, PortalTestData.VisitSpec.class,
                ScopeTestData.class, Http.class, Caller.class, Expect.class, Row.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    PortalUserService users;

    @Inject
    Pbkdf2PasswordHash passwordHash;

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void createManagersStoresAndVisits() throws Exception {
        ScopeTestData.createOtherRegionAndUsers(em, tx, users, passwordHash);
        PortalTestData.replace(em, tx, List.of(921L, 922L, 923L), List.of(
                visit(921, "store_001", "2019-05-06T09:00:00", "2019-05-06T09:20:00", 3),
                visit(922, "store_002", "2019-05-06T10:00:00", "2019-05-06T10:20:00", 3),
                visit(923, ScopeTestData.OTHER_STORE, "2019-05-06T11:00:00", "2019-05-06T11:20:00", 3)));
    }

    @Test
    @Order(2)
    @RunAsClient
    void everyCallerGetsExactlyWhatItsRoleAndScopeAllow() throws Exception {
        Map<Caller, String> sessions = new EnumMap<>(Caller.class);
        sessions.put(Caller.ADMIN, login(Http.ADMIN, Http.ADMIN_PASSWORD));
        sessions.put(Caller.REGIONAL, login(ScopeTestData.REGIONAL, ScopeTestData.REGIONAL_PASSWORD));
        sessions.put(Caller.STORE, login(ScopeTestData.STORE_MANAGER, ScopeTestData.STORE_MANAGER_PASSWORD));

        List<String> failures = new ArrayList<>();
        int checks = 0;
        for (Row row : matrix()) {
            for (Map.Entry<Caller, Expect> e : row.expect().entrySet()) {
                checks++;
                Caller caller = e.getKey();
                HttpResponse<String> r = call(row, caller, sessions.get(caller));
                String problem = problem(r, e.getValue());
                if (problem != null) {
                    failures.add(caller + " " + row.path() + ": " + problem);
                }
            }
        }
        System.out.println("Access matrix: " + matrix().size() + " targets x " + Caller.values().length
                + " callers = " + checks + " checks, " + failures.size() + " failed");
        assertEquals(matrix().size() * Caller.values().length, checks, "every target is checked for every caller");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(3)
    @RunAsClient
    void exportsHoldOnlyTheCallersCustomers() throws Exception {
        Map<Caller, List<String>> expected = Map.of(Caller.ADMIN, List.of("921", "922", "923"),
                Caller.REGIONAL, List.of("921", "922"), Caller.STORE, List.of("921"));
        Map<Caller, String> sessions = Map.of(Caller.ADMIN, login(Http.ADMIN, Http.ADMIN_PASSWORD),
                Caller.REGIONAL, login(ScopeTestData.REGIONAL, ScopeTestData.REGIONAL_PASSWORD),
                Caller.STORE, login(ScopeTestData.STORE_MANAGER, ScopeTestData.STORE_MANAGER_PASSWORD));
        for (Caller caller : expected.keySet()) {
            HttpResponse<String> csv = export(sessions.get(caller), "customers.xhtml?" + DAY, "results:export-csv");
            assertEquals(200, csv.statusCode(), caller + ": " + abbreviate(csv.body()));
            assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains("customers.csv"),
                    csv.headers().map().toString());
            List<String> ids = csv.body().lines().skip(1).map(l -> l.replaceAll("^\"?(\\d+).*", "$1")).sorted().toList();
            assertEquals(expected.get(caller), ids, caller + " exported " + csv.body());
        }
        HttpResponse<String> xlsx = export(sessions.get(Caller.STORE), "stores.xhtml?" + DAY, "results:export-xlsx");
        assertEquals(200, xlsx.statusCode());
        assertTrue(xlsx.headers().firstValue("Content-Disposition").orElse("").contains("stores.xlsx"));
        assertTrue(xlsx.body().startsWith("PK"), "an XLSX file is a zip");
    }

    @Test
    @Order(4)
    void everyExportIsInTheAuditLog() {
        for (String user : List.of(Http.ADMIN, ScopeTestData.REGIONAL, ScopeTestData.STORE_MANAGER)) {
            long exports = em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.username = :u"
                    + " AND a.action = 'EXPORT' AND a.detail LIKE 'customers.csv from /customers.xhtml%'", Long.class)
                    .setParameter("u", user).getSingleResult();
            assertTrue(exports >= 1, user + " exported the customers");
        }
    }

    /** Opens a page and presses one of the export buttons of its results form. */
    private HttpResponse<String> export(String session, String page, String button) throws Exception {
        HttpResponse<String> view = Http.get(Http.uri(base, page), "Cookie", session);
        assertEquals(200, view.statusCode());
        java.util.regex.Matcher state = java.util.regex.Pattern
                .compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(view.body());
        assertTrue(state.find(), "a view state in " + page);
        java.util.regex.Matcher action = java.util.regex.Pattern
                .compile("<form id=\"results\"[^>]*action=\"([^\"]+)\"").matcher(view.body());
        assertTrue(action.find(), "the results form in " + page);
        String path = action.group(1).replace("&amp;", "&").replaceFirst("^/rva/", "");
        return Http.postForm(Http.uri(base, path), Map.of("results", "results", button, "",
                "jakarta.faces.ViewState", state.group(1)), "Cookie", session, "Referer", Http.uri(base, page).toString());
    }

    /** The matrix itself: extend it with every new page and endpoint. */
    static List<Row> matrix() {
        List<Row> rows = new ArrayList<>();
        String all921 = ">921<";
        // pages
        rows.add(page("customers.xhtml?" + DAY,
                ok(List.of(">921<", ">922<", ">923<"), List.of()),
                ok(List.of(all921, ">922<"), List.of(">923<")),
                ok(List.of(all921), List.of(">922<", ">923<"))));
        rows.add(page("customers.xhtml?" + DAY + "&stores=" + ScopeTestData.OTHER_STORE,
                ok(List.of(">923<"), List.of(">921<", ">922<")),
                ok(List.of("store_it9", "ignored", all921, ">922<"), List.of(">923<")),
                ok(List.of("ignored", all921), List.of(">922<", ">923<"))));
        String kpi = "id=\"kpi-visits\" class=\"rva-kpi-value\">";
        rows.add(page("dashboard.xhtml?" + DAY, ok(List.of(kpi + "3<", "store_it9"), List.of(BOLD)),
                ok(List.of(kpi + "2<", "store_002"), List.of("store_it9")),
                ok(List.of(kpi + "1<", "store_001"), List.of("store_002", "store_it9"))));
        rows.add(page("stores.xhtml?" + DAY, ok(List.of("store_it9", "IT store 9 &lt;b&gt;bold&lt;/b&gt;"), List.of(BOLD)),
                ok(List.of("store_001", "store_002"), List.of("store_it9")),
                ok(List.of("store_001"), List.of("store_002", "store_it9"))));
        rows.add(page("customer.xhtml?id=921&" + DAY, ok(List.of("id=\"customer-id\">921<", "store_001"), List.of()),
                ok(List.of("store_001"), List.of()), ok(List.of("store_001"), List.of())));
        rows.add(page("customer.xhtml?id=922&" + DAY, ok(List.of("store_002"), List.of()),
                ok(List.of("store_002"), List.of()), status(403)));
        rows.add(page("customer.xhtml?id=923&" + DAY, ok(List.of("store_it9"), List.of()), status(403), status(403)));
        rows.add(page("customer.xhtml?id=999999", status(404), status(404), status(404)));
        rows.add(page("customer.xhtml?id=%3Cscript%3E", status(400), status(400), status(400)));
        rows.add(page("admin/users.xhtml", ok(List.of(ScopeTestData.STORE_MANAGER, "store_001"), List.of()),
                status(403), status(403)));
        rows.add(page("admin/audit.xhtml?action=EXPORT", ok(List.of("Audit log"), List.of()), status(403), status(403)));
        rows.add(page("admin/collectors.xhtml", ok(List.of("Store collectors", "store-001", "Create/rotate credentials"),
                List.of()), status(403), status(403)));
        rows.add(page("admin/stores.xhtml?region=" + ScopeTestData.OTHER_REGION,
                ok(List.of("Regions and stores", "store_it9", "IT store 9 &lt;b&gt;bold&lt;/b&gt;"), List.of(BOLD)),
                status(403), status(403)));
        rows.add(page("admin/cameras.xhtml?store=store_001", ok(List.of("Cameras", "cam-1"), List.of()), status(403),
                status(403)));
        rows.add(page("admin/cameras.xhtml?store=%3Cscript%3Ealert(1)%3C/script%3E",
                ok(List.of("No store '&lt;script&gt;alert(1)&lt;/script&gt;'"), List.of("<script>alert(1)")),
                status(403), status(403)));
        rows.add(page("admin/settings.xhtml", ok(List.of("match.threshold", "reports.k-anonymity", "retention.visits-days"),
                List.of()), status(403), status(403)));
        rows.add(page("admin/jobs.xhtml", ok(List.of("Batch jobs", "daily-aggregates", "region-report", "Region reports left mid-send"), List.of()),
                status(403), status(403)));
        rows.add(page("admin/recipients.xhtml?region=" + ScopeTestData.OTHER_REGION,
                ok(List.of("Region report recipients", ScopeTestData.OTHER_REGION), List.of()), status(403), status(403)));
        rows.add(page("admin/erasure.xhtml", ok(List.of("Erasure requests"), List.of()), status(403), status(403)));
        rows.add(page("admin/merges.xhtml", ok(List.of("Customer merges", "nav-merges"), List.of()), status(403),
                status(403)));
        // a protected view opened without the token of a portal link goes home
        rows.add(page("password.xhtml", status(302), status(302), status(302)));
        rows.add(new Row("", true, Map.of(Caller.ANONYMOUS, ok(List.of(LOGIN_FORM), List.of()),
                Caller.ADMIN, status(302), Caller.REGIONAL, status(302), Caller.STORE, status(302))));
        // API
        rows.add(api("api/v1/aggregates?" + DAY,
                ok(List.of("\"921\"", "\"922\"", "\"923\""), List.of()),
                ok(List.of("\"921\"", "\"922\""), List.of("\"923\"")),
                ok(List.of("\"921\""), List.of("\"922\"", "\"923\""))));
        rows.add(api("api/v1/aggregates?" + DAY + "&stores=store_002",
                ok(List.of("\"922\""), List.of("\"921\"")), ok(List.of("\"922\""), List.of("\"921\"")), status(403)));
        rows.add(api("api/v1/aggregates?" + DAY + "&stores=" + ScopeTestData.OTHER_STORE,
                ok(List.of("\"923\""), List.of()), status(403), status(403)));
        rows.add(api("api/v1/aggregates?" + DAY + "&stores=store_001," + ScopeTestData.OTHER_STORE,
                ok(List.of("\"921\"", "\"923\""), List.of()), status(403), status(403)));
        rows.add(api("api/v1/customers?" + DAY,
                ok(List.of("\"customerId\":921", "\"customerId\":922", "\"customerId\":923"), List.of()),
                ok(List.of("\"customerId\":921", "\"customerId\":922"), List.of("\"customerId\":923")),
                ok(List.of("\"customerId\":921"), List.of("\"customerId\":922", "\"customerId\":923"))));
        rows.add(api("api/v1/customers?" + DAY + "&stores=" + ScopeTestData.OTHER_STORE,
                ok(List.of("\"customerId\":923"), List.of()), status(403), status(403)));
        rows.add(api("api/v1/customers/921", status(200), status(200), ok(List.of("\"store_001\":1"), List.of())));
        rows.add(api("api/v1/customers/922", status(200), status(200), status(403)));
        rows.add(api("api/v1/customers/923", ok(List.of("\"store_it9\":1"), List.of()), status(403), status(403)));
        rows.add(api("api/v1/customers/999999", status(404), status(404), status(404)));
        rows.add(api("api/v1/customers/923/visits?" + DAY, ok(List.of("\"store\":\"store_it9\""), List.of()),
                status(403), status(403)));
        rows.add(api("api/v1/visits?" + DAY,
                ok(List.of("\"customerId\":921", "\"customerId\":922", "\"customerId\":923"), List.of()),
                ok(List.of("\"customerId\":921", "\"customerId\":922"), List.of("\"customerId\":923")),
                ok(List.of("\"customerId\":921"), List.of("\"customerId\":922", "\"customerId\":923"))));
        rows.add(api("api/v1/visits?" + DAY + "&stores=store_002", status(200), status(200), status(403)));
        rows.add(api("api/v1/stores?" + DAY,
                ok(List.of("\"store_001\"", "\"store_002\"", "\"store_it9\""), List.of()),
                ok(List.of("\"store_001\"", "\"store_002\""), List.of("store_it9")),
                ok(List.of("\"store_001\""), List.of("store_002", "store_it9"))));
        rows.add(api("api/v1/stores/store_002", status(200), status(200), status(403)));
        rows.add(api("api/v1/stores/" + ScopeTestData.OTHER_STORE, status(200), status(403), status(403)));
        rows.add(api("api/v1/stores/no_such_store", status(404), status(404), status(404)));
        rows.add(api("api/v1/jobs", status(200), status(403), status(403)));
        rows.add(api("api/v1/collectors", ok(List.of("\"login\":\"store-001\"", "\"store\":\"store_001\""), List.of("secret\":")),
                status(403), status(403)));
        rows.add(api("api/v1/merges", ok(List.of("\"total\":"), List.of()), status(403), status(403)));
        rows.add(new Row("api/v1/openapi.yaml", false, Map.of(Caller.ANONYMOUS, status(200), Caller.ADMIN,
                status(200), Caller.REGIONAL, status(200), Caller.STORE, status(200))));
        rows.add(new Row("api/v1/health", false, Map.of(Caller.ANONYMOUS, status(200), Caller.ADMIN, status(200),
                Caller.REGIONAL, status(200), Caller.STORE, status(200))));
        return rows;
    }

    private static Row page(String path, Expect admin, Expect regional, Expect store) {
        List<String> hidden = new ArrayList<>(admin.present());
        hidden.removeIf(t -> t.startsWith("store_"));
        return new Row(path, true, Map.of(Caller.ANONYMOUS, ok(List.of(LOGIN_FORM), hidden),
                Caller.ADMIN, admin, Caller.REGIONAL, regional, Caller.STORE, store));
    }

    private static Row api(String path, Expect admin, Expect regional, Expect store) {
        return new Row(path, false, Map.of(Caller.ANONYMOUS, status(401), Caller.ADMIN, admin,
                Caller.REGIONAL, regional, Caller.STORE, store));
    }

    private static Expect ok(List<String> present, List<String> absent) {
        return new Expect(200, present, absent);
    }

    private static Expect status(int status) {
        return new Expect(status, List.of(), List.of());
    }

    private HttpResponse<String> call(Row row, Caller caller, String session) throws Exception {
        if (caller == Caller.ANONYMOUS) {
            return Http.get(Http.uri(base, row.path()));
        }
        if (row.page()) {
            return Http.get(Http.uri(base, row.path()), "Cookie", session);
        }
        String[] credentials = switch (caller) {
            case ADMIN -> new String[] {Http.ADMIN, Http.ADMIN_PASSWORD};
            case REGIONAL -> new String[] {ScopeTestData.REGIONAL, ScopeTestData.REGIONAL_PASSWORD};
            case STORE -> new String[] {ScopeTestData.STORE_MANAGER, ScopeTestData.STORE_MANAGER_PASSWORD};
            case ANONYMOUS -> throw new IllegalStateException();
        };
        return Http.get(Http.uri(base, row.path()), "Authorization", Http.basic(credentials[0], credentials[1]));
    }

    private static String problem(HttpResponse<String> r, Expect expect) {
        if (r.statusCode() != expect.status()) {
            return "status " + r.statusCode() + ", expected " + expect.status() + " (" + abbreviate(r.body()) + ")";
        }
        for (String text : expect.present()) {
            if (!r.body().contains(text)) {
                return "body lacks " + text + " (" + abbreviate(r.body()) + ")";
            }
        }
        for (String text : expect.absent()) {
            if (r.body().contains(text)) {
                return "body must not contain " + text;
            }
        }
        return null;
    }

    private String login(String user, String password) throws Exception {
        HttpResponse<String> loginPage = Http.get(Http.uri(base, "login.xhtml"));
        String session = Http.sessionCookie(loginPage);
        HttpResponse<String> login = Http.postForm(Http.uri(base, "j_security_check"),
                Map.of("j_username", user, "j_password", password), "Cookie", session);
        assertEquals(302, login.statusCode(), user + ": " + login.body());
        assertTrue(!login.headers().firstValue("Location").orElse("").contains("login-error"), user + " logs in");
        return Http.sessionCookie(login, session);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Test
    @Order(99)
    void removeTheOtherRegionAgain() throws Exception {
        ScopeTestData.remove(em, tx, List.of(921L, 922L, 923L));
    }
}
