package com.rva.it.portal;

import static com.rva.it.portal.PortalTestData.visit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

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

import com.rva.application.analytics.CustomerDetail;
import com.rva.application.analytics.DashboardFigures;
import com.rva.application.analytics.DayFigures;
import com.rva.application.analytics.StoreFigures;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.application.analytics.VisitRow;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The read side behind the dashboard, stores and customer pages and the API's customers, visits and stores, on
 * known data (as admin: scopes are {@link AccessMatrixIT}'s), and the API's 400s for hostile parameters.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiIT {

    private static final LocalDateTime FROM = LocalDateTime.parse("2019-06-03T00:00:00");
    private static final LocalDateTime TO = LocalDateTime.parse("2019-06-06T00:00:00");

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(ApiIT.class, PortalTestData.class, PortalTestData.VisitSpec.class, Http.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    VisitAnalyticsService analytics;

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void figuresTrendStoresCustomerAndVisits() throws Exception {
        PortalTestData.replace(em, tx, List.of(941L, 942L), List.of(
                visit(941, "store_001", "2019-06-03T09:00:00", "2019-06-03T09:30:00", 4),
                visit(941, "store_002", "2019-06-05T22:30:00", "2019-06-05T23:10:00", 2),
                visit(942, "store_001", "2019-06-05T10:00:00", "2019-06-05T10:05:00", 2),
                visit(942, "store_001", "2019-06-09T10:00:00", "2019-06-09T10:05:00", 2)));
        // 942 was enrolled inside the range: new, not returning (941 keeps the test data's 2019 date: returning)
        tx.begin();
        em.joinTransaction();
        em.createNativeQuery("UPDATE customer SET created_at = ?1 WHERE id = 942")
                .setParameter(1, LocalDateTime.parse("2019-06-05T10:00:00")).executeUpdate();
        tx.commit();
        VisitQuery all = VisitQuery.of(FROM, TO, List.of());
        // without an authenticated caller the read side sees nothing at all
        assertEquals(new DashboardFigures(0, 0, 0, 0), analytics.dashboard(all));
        assertEquals(List.of(), analytics.stores());
        AsCaller.admin(() -> {
            VisitQuery range = VisitQuery.of(FROM, TO, List.of());

            DashboardFigures d = analytics.dashboard(range);
            // other tests' data lies in other months, so the range holds exactly these
            assertEquals(new DashboardFigures(3, 2, 1, 8), d);
            assertEquals(0.5, d.returningRate());

            assertEquals(List.of(new DayFigures(LocalDate.parse("2019-06-03"), 1, 1),
                    new DayFigures(LocalDate.parse("2019-06-04"), 0, 0),
                    new DayFigures(LocalDate.parse("2019-06-05"), 2, 2)), analytics.dailyTrend(range));
            assertEquals(List.of(new DayFigures(LocalDate.parse("2019-06-05"), 1, 1)),
                    analytics.dailyTrend(VisitQuery.of(LocalDateTime.parse("2019-06-05T00:00:00"),
                            LocalDateTime.parse("2019-06-06T00:00:00"), Set.of("store_002"))));

            List<StoreFigures> stores = analytics.storeFigures(VisitQuery.of(FROM, TO, Set.of("store_001", "store_002")));
            assertEquals(List.of(new StoreFigures("store_001", "Demo store 001 (Berlin)", "demo", "Europe/Berlin", 2, 2, 6),
                    new StoreFigures("store_002", "Demo store 002 (Athens)", "demo", "Europe/Athens", 1, 1, 2)), stores);

            CustomerDetail c = analytics.customer(942);
            assertEquals(2, c.visits());
            assertEquals(LocalDateTime.parse("2019-06-05T10:00:00"), c.firstSeenUtc());
            assertEquals(LocalDateTime.parse("2019-06-09T10:05:00"), c.lastSeenUtc());
            assertEquals("{store_001=2}", c.visitsByStore().toString());

            List<VisitRow> visits = analytics.visits(range, 941L, false, 0, 10);
            assertEquals(2, visits.size());
            assertEquals(2, analytics.countVisits(range, 941L));
            VisitRow athens = visits.get(1);
            assertEquals("store_002", athens.storeCode());
            // 22:30 UTC is already the next day in Athens
            assertEquals("2019-06-06T01:30+03:00", athens.startedLocal().toString());
            assertEquals(40 * 60, athens.dwellSeconds());
            assertEquals(List.of(941L, 942L, 941L), analytics.visits(range, null, true, 0, 10).stream()
                    .map(VisitRow::customerId).toList());
            return null;
        });
    }

    @Test
    @Order(2)
    @RunAsClient
    void jsonOfCustomersVisitsAndStores() throws Exception {
        String customers = get("api/v1/customers?from=2019-06-03&to=2019-06-05&sort=customerId&order=asc&size=1",
                200);
        assertTrue(customers.startsWith("{\"first\":0,\"items\":[{\"customerId\":941,") || customers.contains(
                "\"customerId\":941"), customers);
        assertTrue(customers.contains("\"total\":2"), customers);
        assertTrue(!customers.contains("\"customerId\":942"), "one per page: " + customers);
        String visits = get("api/v1/customers/941/visits?from=2019-06-03&to=2019-06-05&order=oldest", 200);
        assertTrue(visits.contains("\"startedLocal\":\"2019-06-06T01:30:00+03:00\""), visits);
        assertTrue(visits.contains("\"startedUtc\":\"2019-06-05T22:30:00\""), visits);
        String detail = get("api/v1/customers/942", 200);
        assertTrue(detail.contains("\"firstSeenUtc\":\"2019-06-05T10:00:00\""), detail);
        String store = get("api/v1/stores/store_001?from=2019-06-03&to=2019-06-05", 200);
        assertTrue(store.contains("\"visits\":2") && store.contains("\"uniqueCustomers\":2"), store);
        String yaml = get("api/v1/openapi.yaml", 200);
        assertTrue(yaml.startsWith("openapi: 3.0"), yaml);
    }

    @Test
    @Order(3)
    @RunAsClient
    void hostileParametersAre400sWithAMessage() throws Exception {
        assertBad("api/v1/customers?size=100000000", "size");
        assertBad("api/v1/customers?size=1001", "size");
        assertBad("api/v1/visits?size=-5", "size");
        assertBad("api/v1/visits?first=-1", "first");
        assertBad("api/v1/visits?first=%3Cscript%3E", "first");
        assertBad("api/v1/customers?sort=password", "sort");
        assertBad("api/v1/customers?order=sideways", "order");
        assertBad("api/v1/visits?from=2019-02-30", "from");
        assertBad("api/v1/visits?from=%27%20OR%201=1--", "from");
        assertBad("api/v1/stores?to=2019-06-01T25:00", "to");
        assertBad("api/v1/customers/abc", "id");
        assertBad("api/v1/customers/-1/visits", "id");
        assertBad("api/v1/visits?customer=1;DROP", "customer");
        assertBad("api/v1/visits?stores=%3Cscript%3Ealert(1)%3C/script%3E", "stores");
        String body = get("api/v1/visits?stores=%3Cscript%3Ealert(1)%3C/script%3E", 400);
        assertTrue(body.contains("\\u003cscript") || body.contains("<script>"), body);
    }

    private void assertBad(String path, String parameter) throws Exception {
        String body = get(path, 400);
        assertTrue(body.contains("\"parameter\":\"" + parameter + "\""), path + " -> " + body);
        assertTrue(body.contains("\"message\":\""), body);
    }

    private String get(String path, int status) throws Exception {
        HttpResponse<String> r = Http.get(Http.uri(base, path), "Authorization",
                Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(status, r.statusCode(), path + " -> " + r.body());
        return r.body();
    }
}
