package com.rva.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
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

import com.rva.application.collectors.CollectorCredentialService;
import com.rva.application.health.CollectorHealthService;
import com.rva.application.security.OutOfScopeException;
import com.rva.it.AsCaller;
import com.rva.it.RvaDeployment;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * Store collectors on the server. Credentials managed by the application (issue 5 item 3), against the server's
 * real broker: an admin
 * creates/rotates store_001's credentials through the REST API; the collector login connects with the new secret
 * (remote Artemis client over HTTP upgrade, as the collector's bridge does); after a rotation the old secret is
 * refused and the new one connects. Only admins may do it, it is audited, and the secret is in neither the audit
 * log nor the server log. Quality-gate rejections per camera and reason from heartbeats (issue 4 item 2), kept per
 * collector and replaced by newer heartbeats.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollectorsIT {

    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "it-admin-secret";
    private static final Pattern SECRET = Pattern.compile("\"secret\":\"([^\"]+)\"");
    private static final Pattern LOGIN = Pattern.compile("\"login\":\"([^\"]+)\"");

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(CollectorsIT.class);
    }

    @ArquillianResource
    URL base;

    @EJB
    CollectorCredentialService credentials;

    @EJB
    CollectorHealthService health;

    @Inject
    UserTransaction tx;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Test
    @Order(1)
    @RunAsClient
    void rotatedCredentialsConnectAndTheOldSecretIsRefused() throws Exception {
        HttpResponse<String> anonymous = post("api/v1/collectors/store_001/credentials", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> unknown = post("api/v1/collectors/no_such_store/credentials", ADMIN);
        assertEquals(404, unknown.statusCode(), unknown.body());
        HttpResponse<String> badLogin = post("api/v1/collectors/store_001/credentials?login=a%20b", ADMIN);
        assertEquals(400, badLogin.statusCode(), badLogin.body());

        HttpResponse<String> first = post("api/v1/collectors/store_001/credentials", ADMIN);
        assertTrue(first.statusCode() == 200 || first.statusCode() == 201, first.body());
        assertTrue(first.headers().firstValue("Cache-Control").orElse("").contains("no-store"), "never cached");
        String login = group(LOGIN, first.body());
        String secret1 = group(SECRET, first.body());
        assertEquals("store-001", login, "store_001's demo collector account is rotated");
        assertTrue(secret1.length() >= 32, "a long random secret: " + secret1.length());
        connect(login, secret1);

        HttpResponse<String> second = post("api/v1/collectors/store_001/credentials", ADMIN);
        assertEquals(200, second.statusCode(), "the existing account is rotated: " + second.body());
        String secret2 = group(SECRET, second.body());
        assertFalse(secret2.equals(secret1), "a new secret");
        assertThrows(JMSSecurityException.class, () -> connect(login, secret1), "the old secret is refused");
        assertThrows(JMSSecurityException.class, () -> connect(login, "wrong-" + secret2), "a wrong secret is refused");
        connect(login, secret2);

        Path log = Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
        String serverLog = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertTrue(serverLog.contains("rotated collector credentials of store-001"), "the rotation is logged");
        assertFalse(serverLog.contains(secret1) || serverLog.contains(secret2), "no secret in " + log);
        System.out.println("CollectorsIT: " + login + " connected with its rotated secret; old one refused");
    }

    @Test
    @Order(2)
    void onlyAdminsAndEveryChangeIsAuditedWithoutTheSecret() throws Exception {
        assertThrows(OutOfScopeException.class,
                () -> AsCaller.call("it-not-an-admin", () -> credentials.issue("store_001", null)));
        @SuppressWarnings("unchecked")
        List<String> details = em.createNativeQuery("SELECT detail FROM audit_log WHERE action = 'COLLECTOR_CREDENTIALS'"
                + " AND username = 'admin' ORDER BY id").getResultList();
        assertTrue(details.stream().filter(d -> d.contains("collector credentials of store-001 for store store_001"))
                .count() >= 2, "both changes audited: " + details);
        Object[] row = (Object[]) em.createNativeQuery("SELECT secret_hash, secret_salt, secret_set_at FROM"
                + " collector_account WHERE username = 'store-001'").getSingleResult();
        assertEquals(32, Base64.getDecoder().decode((String) row[0]).length, "a SHA-256 hash is kept");
        assertEquals(16, Base64.getDecoder().decode((String) row[1]).length, "with its own salt");
        assertTrue(row[2] != null, "and when it was set");
    }

    @Test
    @Order(3)
    void gateRejectionsPerCameraAndReasonAreKeptFromTheLatestHeartbeat() throws Exception {
        Instant t = Instant.parse("2026-01-05T10:00:00Z");
        assertEquals(CollectorHealthService.Outcome.RECORDED, health.record(beat(t, 3, 1, 0), "store-001", Instant.now()));
        assertEquals(List.of("door BLURRY 1", "door TOO_SMALL 3", "till BLURRY 0", "till TOO_SMALL 0"), gateRows());
        // a newer heartbeat replaces them; an older one (forwarded late) does not; malformed entries are skipped
        String newer = beat(t.plusSeconds(60), 5, 1, 2).replace("\"gateRejects\":{\"TOO_SMALL\":2",
                "\"gateRejects\":{\"bad reason\":4,\"LOW_SCORE\":-1,\"NOT_FRONTAL\":1.5,\"TOO_SMALL\":2");
        assertTrue(newer.contains("bad reason"), newer);
        assertEquals(CollectorHealthService.Outcome.RECORDED, health.record(newer, "store-001", Instant.now()));
        assertEquals(CollectorHealthService.Outcome.OLDER_THAN_KEPT, health.record(beat(t, 9, 9, 9), "store-001",
                Instant.now()));
        assertEquals(List.of("door BLURRY 1", "door TOO_SMALL 5", "till BLURRY 0", "till TOO_SMALL 2"), gateRows());
        // a heartbeat sent as another store changes nothing
        assertEquals(CollectorHealthService.Outcome.WRONG_SENDER, health.record(beat(t.plusSeconds(120), 7, 7, 7)
                .replace("\"storeId\":\"store_001\"", "\"storeId\":\"store_002\""), "store-001", Instant.now()));
        assertEquals(List.of("door BLURRY 1", "door TOO_SMALL 5", "till BLURRY 0", "till TOO_SMALL 2"), gateRows());
    }

    private static String beat(Instant sentAt, long doorSmall, long doorBlurry, long tillSmall) {
        return "{\"collectorId\":\"it-collectors-1\",\"storeId\":\"store_001\",\"status\":\"ok\",\"collectorVersion\":"
                + "\"rva-edge-collector/it\",\"detectorModel\":\"yunet-it\",\"sentAt\":\"" + sentAt + "\",\"frames\":10,"
                + "\"faces\":4,\"backlog\":2,\"dropped\":0,\"oldestUndelivered\":null,\"rejects\":{\"badFrame\":0,"
                + "\"TOO_SMALL\":" + (doorSmall + tillSmall) + ",\"BLURRY\":" + doorBlurry + "},\"cameras\":["
                + "{\"id\":\"door\",\"status\":\"ok\",\"gateRejects\":{\"TOO_SMALL\":" + doorSmall + ",\"BLURRY\":" + doorBlurry + "}},"
                + "{\"id\":\"till\",\"status\":\"failing\",\"lastError\":\"no frames\",\"gateRejects\":{\"TOO_SMALL\":" + tillSmall
                + ",\"BLURRY\":0}}]}";
    }

    private List<String> gateRows() {
        return health.gateRejects().stream().filter(r -> r.collectorId().equals("it-collectors-1"))
                .map(r -> r.camera() + " " + r.reason() + " " + r.rejects()).toList();
    }

    @Test
    @Order(4)
    @RunAsClient
    void theCollectorsPageShowsHeartbeatsAndANewSecretOnce() throws Exception {
        HttpClient web = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        web.send(HttpRequest.newBuilder(uri("login.xhtml")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> login = web.send(form(uri("j_security_check"), Map.of("j_username", ADMIN,
                "j_password", ADMIN_PASSWORD)), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, login.statusCode(), login.body());
        HttpResponse<String> page = web.send(HttpRequest.newBuilder(uri("admin/collectors.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        for (String text : List.of("it-collectors-1", "door: BLURRY 1, TOO_SMALL 5; till: TOO_SMALL 2",
                "TOO_SMALL 7, BLURRY 1", "till failing (no frames)", "rva-edge-collector/it yunet-it", " stale",
                "store-001", "store-002", "2026-01-05 10:01:00")) {
            assertTrue(html.contains(text), "the page shows " + text);
        }
        assertFalse(html.contains("issued-secret"), "no secret before one is issued");

        Matcher state = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"").matcher(html);
        assertTrue(state.find(), "a view state");
        Matcher action = Pattern.compile("<form id=\"issue\"[^>]*action=\"([^\"]+)\"").matcher(html);
        assertTrue(action.find(), "the credentials form");
        HttpResponse<String> issued = web.send(form(uri(action.group(1).replace("&amp;", "&").replaceFirst("^/rva/", "")),
                Map.of("issue", "issue", "issue:store_input", "store_002", "issue:create", "",
                        "jakarta.faces.ViewState", state.group(1))), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, issued.statusCode(), issued.body());
        Matcher secret = Pattern.compile("id=\"issued-secret\">([^<]+)<").matcher(issued.body());
        assertTrue(secret.find(), "the new secret is shown: " + issued.body());
        assertTrue(issued.body().contains("Rotated the credentials of store-002"), issued.body());
        connect("store-002", secret.group(1));
        HttpResponse<String> again = web.send(HttpRequest.newBuilder(uri("admin/collectors.xhtml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(again.body().contains(secret.group(1)), "the secret is shown once only");
    }

    private URI uri(String path) {
        String b = base.toExternalForm();
        return URI.create((b.endsWith("/") ? b : b + "/") + path);
    }

    private HttpRequest form(URI uri, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Referer", uri("admin/collectors.xhtml")
                        .toString()).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /**
     * A collector already connected with its store's secret (one long-lived session, as the outbox bridge keeps)
     * stops being able to deliver once an admin rotates that store's credentials, and delivers again with the new
     * secret. The broker keeps the session's login and secret and, with WildFly's security manager, checks them
     * against {@code RvaCollectorRealm} again whenever its authorisation cache (10 s) has expired, so a send with
     * the rotated-out secret is refused within about 10 s.
     */
    @Test
    @Order(5)
    @RunAsClient
    void aConnectedCollectorStopsDeliveringOnceItsCredentialsAreRotated() throws Exception {
        HttpResponse<String> issued = post("api/v1/collectors/store_002/credentials", ADMIN);
        assertTrue(issued.statusCode() == 200 || issued.statusCode() == 201, issued.body());
        String login = group(LOGIN, issued.body());
        String secret1 = group(SECRET, issued.body());
        Exception refused = null;
        long rotatedAt;
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl());
                Connection c = cf.createConnection(login, secret1);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            MessageProducer p = s.createProducer(s.createQueue("jms.queue.rva.heartbeats"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT); // a blocking send: a refusal is thrown here
            p.send(heartbeat(s, login, 0));
            HttpResponse<String> rotated = post("api/v1/collectors/store_002/credentials", ADMIN);
            assertEquals(200, rotated.statusCode(), rotated.body());
            rotatedAt = System.nanoTime();
            for (int i = 1; i <= 40 && refused == null; i++) {
                Thread.sleep(1000);
                try {
                    p.send(heartbeat(s, login, i));
                } catch (JMSException e) {
                    refused = e;
                }
            }
        }
        assertTrue(refused != null, "the session that logged in with the rotated-out secret still delivers 40 s after"
                + " the rotation");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - rotatedAt);
        String secret2 = group(SECRET, post("api/v1/collectors/store_002/credentials", ADMIN).body());
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(brokerUrl());
                Connection c = cf.createConnection(login, secret2);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            MessageProducer p = s.createProducer(s.createQueue("jms.queue.rva.heartbeats"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(heartbeat(s, login, 99));
        }
        System.out.println("CollectorsIT: " + login + "'s open session refused " + seconds + " s after the rotation ("
                + refused + "); delivers again with the new secret");
    }

    private static TextMessage heartbeat(Session s, String login, int n) throws JMSException {
        TextMessage m = s.createTextMessage("{\"collectorId\":\"rotation-it\",\"storeId\":\"store_002\","
                + "\"status\":\"ok\",\"sentAt\":\"" + Instant.now().plusMillis(n) + "\",\"frames\":" + n
                + ",\"faces\":0,\"backlog\":0,\"dropped\":0,\"rejects\":{},\"cameras\":[]}");
        m.setStringProperty("storeId", "store_002");
        m.setStringProperty("collectorId", "rotation-it");
        return m;
    }

    private String brokerUrl() {
        return "tcp://" + base.getHost() + ":" + base.getPort()
                + "?httpUpgradeEnabled=true&reconnectAttempts=0&initialConnectAttempts=1&callTimeout=15000";
    }

    private void connect(String login, String secret) throws Exception {
        String url = "tcp://" + base.getHost() + ":" + base.getPort()
                + "?httpUpgradeEnabled=true&reconnectAttempts=0&initialConnectAttempts=1&callTimeout=15000";
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
                Connection c = cf.createConnection(login, secret);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            c.start();
            s.createProducer(s.createQueue("rva.heartbeats")).close();
        }
    }

    private HttpResponse<String> post(String path, String user) throws Exception {
        String b = base.toExternalForm();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create((b.endsWith("/") ? b : b + "/") + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertTrue(m.find(), p + " in " + body);
        return m.group(1);
    }
}
