package com.rva.it.portal;

import static com.rva.it.portal.PortalTestData.visit;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

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

import com.rva.it.RvaDeployment;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The portal in a real browser (headless Chromium): an anonymous visitor is sent to the login page, logs in as
 * admin, sees the visits of the test customers, narrows them to one store and logs out. Needs Debian's
 * {@code chromium} and {@code chromium-driver}; leaves a screenshot in {@code rva.it.screenshots}.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalSeleniumIT {

    private static final List<PortalTestData.VisitSpec> VISITS = List.of(
            visit(911, "store_001", "2019-04-01T09:00:00", "2019-04-01T09:20:00", 4),
            visit(911, "store_001", "2019-04-02T17:00:00", "2019-04-02T17:45:00", 6),
            visit(912, "store_002", "2019-04-01T11:00:00", "2019-04-01T11:10:00", 2),
            visit(913, "store_001", "2019-04-01T08:00:00", "2019-04-01T08:30:00", 3),
            visit(913, "store_002", "2019-04-02T12:00:00", "2019-04-02T12:05:00", 2),
            // the regional manager's day: two stores of its region and one of another
            visit(914, "store_001", "2019-04-05T10:00:00", "2019-04-05T10:20:00", 3),
            visit(915, "store_002", "2019-04-05T11:00:00", "2019-04-05T11:20:00", 3),
            visit(916, ScopeTestData.OTHER_STORE, "2019-04-05T12:00:00", "2019-04-05T12:20:00", 3));

    private static final List<Long> CUSTOMERS = List.of(911L, 912L, 913L, 914L, 915L, 916L);

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(PortalSeleniumIT.class, PortalTestData.class, PortalTestData.VisitSpec.class,
                ScopeTestData.class, Http.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Inject
    UserTransaction tx;

    @Inject
    com.rva.application.security.PortalUserService users;

    @Inject
    jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash passwordHash;

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void insertTheCustomersTheBrowserWillSee() throws Exception {
        ScopeTestData.createOtherRegionAndUsers(em, tx, users, passwordHash);
        PortalTestData.replace(em, tx, CUSTOMERS, VISITS);
    }

    @Test
    @Order(2)
    @RunAsClient
    void logInSeeVisitsFilterByStoreAndLogOut() throws Exception {
        // the browser code lives in a class of its own: this class is also loaded in the server, which has no Selenium
        PortalWalkthrough.run(base);
    }

    @Test
    @Order(3)
    @RunAsClient
    void aStoreManagerSeesOnlyItsStoreFromDashboardToCustomer() throws Exception {
        PortalWalkthrough.runAsStoreManager(base, ScopeTestData.STORE_MANAGER, ScopeTestData.STORE_MANAGER_PASSWORD);
    }

    @Test
    @Order(4)
    @RunAsClient
    void aRegionalManagerSeesOnlyItsRegionFiltersDrillsDownExportsAndLogsOut() throws Exception {
        java.nio.file.Path downloads = java.nio.file.Files.createTempDirectory("rva-downloads-");
        PortalWalkthrough.runAsRegionalManager(base, ScopeTestData.REGIONAL, ScopeTestData.REGIONAL_PASSWORD, downloads);
    }

    @Test
    @Order(5)
    void theRegionalManagersExportIsAudited() {
        assertTrue(em.createQuery("SELECT COUNT(a) FROM AuditEntry a WHERE a.username = :u AND a.action = 'EXPORT'",
                Long.class).setParameter("u", ScopeTestData.REGIONAL).getSingleResult() >= 1);
    }

    @Test
    @Order(99)
    void removeTheOtherRegionAgain() throws Exception {
        ScopeTestData.remove(em, tx, CUSTOMERS);
    }
}
