package com.rva.it.portal;

import static com.rva.it.portal.PortalTestData.visit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
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

import com.rva.application.analytics.AppearancesJson;
import com.rva.application.analytics.CustomerVisits;
import com.rva.application.analytics.CustomerVisitsSort;
import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.application.security.PortalUserService;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;

/**
 * The read side and {@code GET /api/v1/aggregates} on known data: visits count when they started in
 * {@code [from, to)}, per customer and store, and the API writes the seed's JSON byte for byte. The first test
 * (in the server) inserts the data; the others call the API over HTTP like any client.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AggregatesApiIT {

    private static final List<Long> CUSTOMERS = List.of(901L, 902L, 903L, 904L, 905L);
    private static final List<PortalTestData.VisitSpec> VISITS = List.of(
            // 901 is the seed's customer 123: two visits in store_001, one in store_002
            visit(901, "store_001", "2019-03-04T10:05:00", "2019-03-04T10:20:00", 3),
            visit(901, "store_001", "2019-03-05T09:00:00", "2019-03-05T09:04:00", 2),
            visit(901, "store_002", "2019-03-05T15:00:00", "2019-03-05T15:00:00", 1),
            // started before the range and ended inside it: not counted
            visit(902, "store_001", "2019-03-03T23:50:00", "2019-03-04T00:20:00", 3),
            visit(902, "store_002", "2019-03-04T12:00:00", "2019-03-04T12:30:00", 4),
            // started exactly at 'from': counted
            visit(903, "store_001", "2019-03-04T00:00:00", "2019-03-04T00:10:00", 2),
            // one second before 'to': counted (though it ends after it); exactly at 'to': not counted
            visit(904, "store_001", "2019-03-06T23:59:59", "2019-03-07T00:15:00", 2),
            visit(904, "store_002", "2019-03-07T00:00:00", "2019-03-07T00:05:00", 2),
            // outside the range altogether
            visit(905, "store_001", "2019-03-08T10:00:00", "2019-03-08T10:30:00", 5));

    private static final LocalDateTime FROM = LocalDateTime.parse("2019-03-04T00:00:00");
    private static final LocalDateTime TO = LocalDateTime.parse("2019-03-07T00:00:00");

    static final String ALL_STORES_JSON = "{"
            + "\"901\": {\"total_appearances\": 3, \"stores\": {\"store_001\": 2, \"store_002\": 1}}, "
            + "\"902\": {\"total_appearances\": 1, \"stores\": {\"store_002\": 1}}, "
            + "\"903\": {\"total_appearances\": 1, \"stores\": {\"store_001\": 1}}, "
            + "\"904\": {\"total_appearances\": 1, \"stores\": {\"store_001\": 1}}}";
    static final String STORE_002_JSON = "{"
            + "\"901\": {\"total_appearances\": 1, \"stores\": {\"store_002\": 1}}, "
            + "\"902\": {\"total_appearances\": 1, \"stores\": {\"store_002\": 1}}}";

    static final String NO_ROLE_USER = "it-no-role";
    static final String NO_ROLE_PASSWORD = "it-no-role-secret";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(AggregatesApiIT.class, PortalTestData.class, PortalTestData.VisitSpec.class,
                Http.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    VisitAnalyticsService analytics;

    @Inject
    PortalUserService users;

    @Inject
    Pbkdf2PasswordHash passwordHash;

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void serviceCountsVisitsThatStartedInTheRangePerCustomerAndStore() throws Exception {
        PortalTestData.replace(em, tx, CUSTOMERS, VISITS);
        // the read side answers within the caller's scope: act as the admin (all stores)
        AsCaller.admin(() -> {
            VisitQuery all = VisitQuery.of(FROM, TO, List.of());

            assertEquals(4, analytics.countCustomers(all));
            List<CustomerVisits> byVisits = analytics.customerVisits(all, CustomerVisitsSort.VISITS, false, 0, 10);
            assertEquals(List.of(901L, 902L, 903L, 904L), ids(byVisits));
            CustomerVisits c901 = byVisits.get(0);
            assertEquals(3, c901.visits());
            assertEquals(6, c901.sightings());
            assertEquals(LocalDateTime.parse("2019-03-04T10:05:00"), c901.firstSeenUtc());
            assertEquals(LocalDateTime.parse("2019-03-05T15:00:00"), c901.lastSeenUtc());
            assertEquals("store_001: 2, store_002: 1", c901.storeBreakdown());
            CustomerVisits c904 = byVisits.get(3);
            assertEquals(List.of(1L, 2L), List.of(c904.visits(), c904.sightings()));
            assertEquals(LocalDateTime.parse("2019-03-07T00:15:00"), c904.lastSeenUtc());
            assertEquals("store_001: 1", c904.storeBreakdown());

            assertEquals(List.of(903L, 904L, 902L, 901L),
                    ids(analytics.customerVisits(all, CustomerVisitsSort.SIGHTINGS, true, 0, 10)));
            assertEquals(List.of(903L, 901L, 902L, 904L),
                    ids(analytics.customerVisits(all, CustomerVisitsSort.FIRST_SEEN, true, 0, 10)));
            assertEquals(List.of(904L, 901L, 902L, 903L),
                    ids(analytics.customerVisits(all, CustomerVisitsSort.LAST_SEEN, false, 0, 10)));
            assertEquals(List.of(904L, 903L, 902L, 901L),
                    ids(analytics.customerVisits(all, CustomerVisitsSort.CUSTOMER_ID, false, 0, 10)));
            // paging happens in the database
            assertEquals(List.of(902L, 903L), ids(analytics.customerVisits(all, CustomerVisitsSort.VISITS, false, 1, 2)));
            assertEquals(List.of(), analytics.customerVisits(all, CustomerVisitsSort.VISITS, false, 4, 2));

            VisitQuery store002 = VisitQuery.of(FROM, TO, Set.of("store_002"));
            assertEquals(2, analytics.countCustomers(store002));
            List<CustomerVisits> in002 = analytics.customerVisits(store002, CustomerVisitsSort.VISITS, false, 0, 10);
            assertEquals(List.of(901L, 902L), ids(in002));
            assertEquals("store_002: 1", in002.get(0).storeBreakdown());
            assertEquals(1, in002.get(0).sightings());

            VisitQuery laterStart = VisitQuery.of(FROM.plusSeconds(1), TO, List.of());
            assertEquals(List.of(901L, 902L, 904L),
                    ids(analytics.customerVisits(laterStart, CustomerVisitsSort.CUSTOMER_ID, true, 0, 10)));

            assertEquals(ALL_STORES_JSON, AppearancesJson.write(analytics.appearances(all)));
            assertEquals(STORE_002_JSON, AppearancesJson.write(analytics.appearances(store002)));

            UnknownStoreException unknown = assertThrows(UnknownStoreException.class,
                    () -> analytics.countCustomers(VisitQuery.of(FROM, TO, Set.of("store_001", "store_999"))));
            assertEquals("store_999", unknown.getStoreCode());
            return null;
        });

        // a user without any role, for the 403 test below
        tx.begin();
        em.joinTransaction();
        em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, NO_ROLE_USER).executeUpdate();
        tx.commit();
        passwordHash.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "1024"));
        users.create(NO_ROLE_USER, passwordHash.generate(NO_ROLE_PASSWORD.toCharArray()), "No role", Set.of());
    }

    @Test
    @Order(2)
    @RunAsClient
    void aggregatesAreTheSeedJsonByteForByte() throws Exception {
        HttpResponse<String> dates = Http.get(Http.uri(base, "api/v1/aggregates?from=2019-03-04&to=2019-03-06"),
                "Authorization", Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(200, dates.statusCode(), dates.body());
        assertTrue(dates.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(ALL_STORES_JSON, dates.body());

        // date-times are UTC and 'to' is exclusive: the same range written out
        HttpResponse<String> dateTimes = Http.get(
                Http.uri(base, "api/v1/aggregates?from=2019-03-04T00:00:00&to=2019-03-07T00:00:00"),
                "Authorization", Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(ALL_STORES_JSON, dateTimes.body());

        HttpResponse<String> oneStore = Http.get(
                Http.uri(base, "api/v1/aggregates?from=2019-03-04&to=2019-03-06&stores=store_002"),
                "Authorization", Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(200, oneStore.statusCode(), oneStore.body());
        assertEquals(STORE_002_JSON, oneStore.body());

        HttpResponse<String> bothStores = Http.get(
                Http.uri(base, "api/v1/aggregates?from=2019-03-04&to=2019-03-06&stores=store_002,store_001"),
                "Authorization", Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(ALL_STORES_JSON, bothStores.body());

        HttpResponse<String> empty = Http.get(Http.uri(base, "api/v1/aggregates?from=2019-03-01&to=2019-03-02"),
                "Authorization", Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(200, empty.statusCode());
        assertEquals("{}", empty.body());
    }

    @Test
    @Order(3)
    @RunAsClient
    void badParametersAre400sNamingTheParameter() throws Exception {
        assertBadParameter("api/v1/aggregates?from=yesterday", "from", "'yesterday'");
        assertBadParameter("api/v1/aggregates?from=2019-03-04&to=2019-02-30", "to", "'2019-02-30'");
        assertBadParameter("api/v1/aggregates?from=2019-03-04&to=2019-03-01", "to", "must be after 'from'");
        assertBadParameter("api/v1/aggregates?from=2019-03-04&stores=store_001,store_999", "stores", "'store_999'");
    }

    private void assertBadParameter(String path, String parameter, String inMessage) throws Exception {
        HttpResponse<String> r = Http.get(Http.uri(base, path), "Authorization",
                Http.basic(Http.ADMIN, Http.ADMIN_PASSWORD));
        assertEquals(400, r.statusCode(), path + " -> " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        assertTrue(r.body().contains("\"parameter\":\"" + parameter + "\""), r.body());
        assertTrue(r.body().contains(inMessage), r.body());
    }

    @Test
    @Order(4)
    @RunAsClient
    void withoutValidCredentialsTheApiAnswers401NotALoginPage() throws Exception {
        URI aggregates = Http.uri(base, "api/v1/aggregates");
        for (HttpResponse<String> r : List.of(
                Http.get(aggregates),
                Http.get(aggregates, "Accept", "text/html"),
                Http.get(aggregates, "Authorization", Http.basic(Http.ADMIN, "wrong-password")),
                Http.get(aggregates, "Authorization", Http.basic("nobody", Http.ADMIN_PASSWORD)),
                Http.get(aggregates, "Authorization", "Basic not-base64!"))) {
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"rva\""),
                    r.headers().map().toString());
            assertFalse(r.body().contains("j_security_check"), r.body());
            assertTrue(r.headers().firstValue("Location").isEmpty());
        }

        HttpResponse<String> health = Http.get(Http.uri(base, "api/v1/health"));
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\"}", health.body());
    }

    @Test
    @Order(5)
    @RunAsClient
    void aUserWithoutARoleIsForbidden() throws Exception {
        HttpResponse<String> r = Http.get(Http.uri(base, "api/v1/aggregates"), "Authorization",
                Http.basic(NO_ROLE_USER, NO_ROLE_PASSWORD));
        assertEquals(403, r.statusCode(), r.body());
    }

    private static List<Long> ids(List<CustomerVisits> rows) {
        return rows.stream().map(CustomerVisits::customerId).toList();
    }
}
