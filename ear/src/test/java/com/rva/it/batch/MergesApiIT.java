package com.rva.it.batch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.audit.AuditService;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;
import com.rva.application.ingest.EmbedderProvider;
import com.rva.application.ingest.VisitService;
import com.rva.application.security.PortalUserService;
import com.rva.domain.AppUser;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.FaceTemplate;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.UserTransaction;

/**
 * Undoing a consolidation merge from the product, over HTTP: {@code GET /api/v1/merges} lists it, a store
 * manager may not undo it (403), the admin does (200: the sighting and templates go back), a second undo is 409,
 * an unknown merge 404, a malformed id 400; the undo is in the audit log under the admin's name.
 */
@ExtendWith(ArquillianExtension.class)
class MergesApiIT {

    private static final String STORE = "store_001";
    private static final String MANAGER = "it-merges-store";
    private static final String MANAGER_PASSWORD = "it-merges-secret";

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(MergesApiIT.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Inject
    IdentityConsolidationService consolidation;

    @Inject
    EmbedderProvider embedders;

    @Inject
    VisitService visits;

    @Inject
    PortalUserService users;

    @Inject
    Pbkdf2PasswordHash hash;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString();
    private int frame;

    @Test
    void anAdminUndoesAMergeOnceOverTheApiAndItIsAudited() throws Exception {
        Random random = new Random(run.hashCode());
        LocalDateTime t0 = LocalDateTime.now(ZoneOffset.UTC).minusDays(2).withNano(0);
        utx.begin();
        em.joinTransaction();
        em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, MANAGER).executeUpdate();
        Customer a = customer(t0, random);
        Customer b = customer(t0.plusMinutes(3), random);
        utx.commit();
        hash.initialize(Map.of("Pbkdf2PasswordHash.Iterations", "1024"));
        users.create(MANAGER, hash.generate(MANAGER_PASSWORD.toCharArray()), "IT merges store manager",
                Set.of(AppUser.ROLE_STORE_MANAGER));
        users.assignScope(MANAGER, Set.of(), Set.of(STORE));
        try {
            MergeResult merged = consolidation.merge(a.getId(), b.getId(), 0.9, 0.5, null);
            long mergeId = merged.mergeId();
            assertEquals(List.of(a.getId(), a.getId()), sightingOwners());

            HttpResponse<String> list = send("GET", "/merges?first=0&size=1000", "admin", "it-admin-secret");
            assertEquals(200, list.statusCode(), list.body());
            JsonObject page = json(list.body());
            assertTrue(page.getJsonNumber("total").longValue() >= 1, list.body());
            JsonObject row = page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                    .filter(m -> m.getJsonNumber("mergeId").longValue() == mergeId).findFirst().orElseThrow();
            assertEquals(a.getId(), row.getJsonNumber("survivorId").longValue());
            assertEquals(b.getId(), row.getJsonNumber("absorbedId").longValue());
            assertTrue(!row.containsKey("undoneUtc") || row.isNull("undoneUtc"), row.toString());
            assertEquals(400, send("GET", "/merges?size=0", "admin", "it-admin-secret").statusCode());

            HttpResponse<String> denied = send("POST", "/merges/" + mergeId + "/undo", MANAGER, MANAGER_PASSWORD);
            assertEquals(403, denied.statusCode(), denied.body());
            assertEquals(List.of(a.getId(), a.getId()), sightingOwners(), "a refused undo changes nothing");

            HttpResponse<String> undone = send("POST", "/merges/" + mergeId + "/undo", "admin", "it-admin-secret");
            assertEquals(200, undone.statusCode(), undone.body());
            JsonObject body = json(undone.body());
            assertEquals(1, body.getInt("sightingsBack"));
            assertEquals(2, body.getInt("templatesBack"));
            assertNotNull(body.getJsonObject("merge").getString("undoneUtc", null), undone.body());
            assertEquals(List.of(a.getId(), b.getId()), sightingOwners());

            HttpResponse<String> again = send("POST", "/merges/" + mergeId + "/undo", "admin", "it-admin-secret");
            assertEquals(409, again.statusCode(), again.body());
            assertTrue(again.body().contains("undone already"), again.body());
            assertEquals(404, send("POST", "/merges/999999999/undo", "admin", "it-admin-secret").statusCode());
            assertEquals(400, send("POST", "/merges/abc/undo", "admin", "it-admin-secret").statusCode());

            long audited = em.createQuery("SELECT COUNT(e) FROM AuditEntry e WHERE e.action = :a AND e.username = 'admin'"
                    + " AND e.detail LIKE :d", Long.class).setParameter("a", AuditService.MERGE_UNDO)
                    .setParameter("d", "customer merge " + mergeId + " undone%").getSingleResult();
            assertEquals(1L, audited, "one audit row for the one undo");
        } finally {
            utx.begin();
            em.joinTransaction();
            em.createNativeQuery("DELETE FROM app_user WHERE username = ?1").setParameter(1, MANAGER).executeUpdate();
            utx.commit();
        }
    }

    private Customer customer(LocalDateTime seenAt, Random random) {
        Customer c = new Customer(seenAt);
        em.persist(c);
        String modelVersion = embedders.embedder().modelVersion();
        for (int i = 0; i < 2; i++) {
            em.persist(new FaceTemplate(c, modelVersion, unit(random, embedders.embedder().dimension()), 0.8f, seenAt));
        }
        Store store = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", STORE).getSingleResult();
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", "cam-1").getSingleResult();
        visits.record(new Sighting("merges-it/" + run + "/" + (++frame), c, camera, seenAt, seenAt, 1f, 0.9f, 0.8f));
        return c;
    }

    private List<Long> sightingOwners() {
        em.clear();
        return em.createQuery("SELECT s.customer.id FROM Sighting s WHERE s.duplicateId LIKE :p ORDER BY s.duplicateId",
                Long.class).setParameter("p", "merges-it/" + run + "/%").getResultList();
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    private HttpResponse<String> send(String method, String path, String user, String password) throws Exception {
        int port = 8080 + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/rva/api/v1" + path))
                .header("Accept", "application/json").header("Authorization", "Basic " + basic)
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
