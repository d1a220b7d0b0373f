package com.rva.it.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.JobParameterException;
import com.rva.domain.Customer;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The jobs API over HTTP: start daily-aggregates, bad parameters, list and look up executions, the history of
 * one job, schedules; seed-export writes the very bytes GET /api/v1/aggregates answers for the same range.
 */
@ExtendWith(ArquillianExtension.class)
class JobsApiIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(JobsApiIT.class, BatchAwait.class);
    }

    @Inject
    BatchJobService jobs;

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startListAndLookUpAnExecution() throws Exception {
        HttpResponse<String> started = send("POST", "/jobs/daily-aggregates?day=2024-11-22&stores=store_002");
        assertEquals(202, started.statusCode(), started.body());
        JsonObject execution = json(started.body());
        long id = execution.getJsonNumber("executionId").longValue();
        assertEquals("daily-aggregates", execution.getString("jobName"));
        assertEquals("2024-11-22", execution.getJsonObject("parameters").getString("day"));
        assertTrue(started.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/jobs/executions/" + id));
        assertEquals("COMPLETED", BatchAwait.end(jobs, id, Duration.ofSeconds(60)).batchStatus());

        HttpResponse<String> one = send("GET", "/jobs/executions/" + id);
        assertEquals(200, one.statusCode(), one.body());
        JsonObject done = json(one.body());
        assertEquals("COMPLETED", done.getString("batchStatus"));
        assertTrue(done.containsKey("startedAt") && done.containsKey("endedAt"), one.body());

        HttpResponse<String> list = send("GET", "/jobs?limit=10");
        assertEquals(200, list.statusCode(), list.body());
        JsonArray executions = Json.createReader(new StringReader(list.body())).readArray();
        assertTrue(executions.stream().map(JsonValue::asJsonObject)
                .anyMatch(e -> e.getJsonNumber("executionId").longValue() == id), list.body());
    }

    @Test
    void badDayIsA400NamingTheParameter() throws Exception {
        HttpResponse<String> bad = send("POST", "/jobs/daily-aggregates?day=2024-13-40");
        assertEquals(400, bad.statusCode(), bad.body());
        JsonObject error = json(bad.body());
        assertEquals("day", error.getString("parameter"));
        assertTrue(error.getString("error").contains("2024-13-40"), bad.body());

        HttpResponse<String> unknownStore = send("POST", "/jobs/daily-aggregates?day=2024-11-22&stores=nowhere");
        assertEquals(400, unknownStore.statusCode(), unknownStore.body());
        assertEquals("stores", json(unknownStore.body()).getString("parameter"));
    }

    @Test
    void historyPerJobSchedulesAndTheOtherJobsOverHttp() throws Exception {
        HttpResponse<String> purge = send("POST", "/jobs/retention-purge");
        assertEquals(202, purge.statusCode(), purge.body());
        long purgeId = json(purge.body()).getJsonNumber("executionId").longValue();
        assertEquals("COMPLETED", BatchAwait.end(jobs, purgeId, Duration.ofSeconds(60)).batchStatus());

        HttpResponse<String> consolidation = send("POST", "/jobs/identity-consolidation");
        assertEquals(202, consolidation.statusCode(), consolidation.body());
        assertEquals("identity-consolidation", json(consolidation.body()).getString("jobName"));
        long consolidationId = json(consolidation.body()).getJsonNumber("executionId").longValue();
        assertEquals("COMPLETED", BatchAwait.end(jobs, consolidationId, Duration.ofSeconds(60)).batchStatus());

        HttpResponse<String> history = send("GET", "/jobs?job=retention-purge&limit=5");
        assertEquals(200, history.statusCode(), history.body());
        JsonArray runs = Json.createReader(new StringReader(history.body())).readArray();
        assertEquals(purgeId, runs.getJsonObject(0).getJsonNumber("executionId").longValue(), history.body());
        assertTrue(runs.stream().allMatch(r -> r.asJsonObject().getString("jobName").equals("retention-purge")));
        assertEquals(400, send("GET", "/jobs?job=no-such-job").statusCode());

        HttpResponse<String> report = send("POST", "/jobs/region-report?day=2024-11-22&regions=nowhere");
        assertEquals(400, report.statusCode(), report.body());
        assertEquals("regions", json(report.body()).getString("parameter"));
        HttpResponse<String> log = send("GET", "/jobs/region-report/log?day=2024-11-22");
        assertEquals(200, log.statusCode(), log.body());
        HttpResponse<String> release = send("POST", "/jobs/region-report/release?region=nowhere&day=2024-11-22");
        assertEquals(404, release.statusCode(), release.body());
        assertTrue(json(release.body()).getString("error").contains("'nowhere'"), release.body());
        assertEquals("day", json(send("POST", "/jobs/region-report/release?region=nowhere&day=2024-13-40").body())
                .getString("parameter"));
        assertEquals("region", json(send("POST", "/jobs/region-report/release?day=2024-11-22").body())
                .getString("parameter"));

        HttpResponse<String> schedules = send("GET", "/jobs/schedules");
        assertEquals(200, schedules.statusCode(), schedules.body());
        JsonArray all = Json.createReader(new StringReader(schedules.body())).readArray();
        assertTrue(all.stream().anyMatch(j -> j.asJsonObject().getString("jobName").equals("region-report")
                && j.asJsonObject().getString("schedule").startsWith("07:00")), schedules.body());
        assertTrue(all.stream().anyMatch(j -> j.asJsonObject().getString("jobName").equals("identity-consolidation")
                && j.asJsonObject().getString("schedule").startsWith("02:00")), schedules.body());
        HttpResponse<String> moved = send("PUT", "/jobs/schedules/region-report?hour=6&minute=45");
        assertEquals(200, moved.statusCode(), moved.body());
        assertTrue(json(moved.body()).getString("schedule").startsWith("06:45"), moved.body());
        assertEquals(400, send("PUT", "/jobs/schedules/region-report?hour=25&minute=0").statusCode());
        assertEquals(200, send("PUT", "/jobs/schedules/region-report?hour=7&minute=0").statusCode());
    }

    @Test
    void theExportFileIsTheApisJsonForTheSameRange() throws Exception {
        utx.begin();
        Customer c = new Customer(LocalDateTime.of(2024, 9, 1, 8, 0));
        em.persist(c);
        String[] stores = {"store_001", "store_001", "store_002"};
        for (int i = 0; i < stores.length; i++) {
            Store s = em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", stores[i]).getSingleResult();
            em.persist(new Visit(c, s, LocalDateTime.of(2024, 9, 10, 10 + 2 * i, 0)));
        }
        utx.commit();

        JobExecutionInfo done = BatchAwait.end(jobs, jobs.startSeedExport("2024-09-01", "2024-09-30", null),
                Duration.ofSeconds(60));
        assertEquals("COMPLETED", done.batchStatus(), done.toString());
        Path file = Path.of(done.exitStatus());
        byte[] exported = Files.readAllBytes(file);
        String json = new String(exported, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"" + c.getId() + "\": {\"total_appearances\": 3, \"stores\": {\"store_001\": 2,"
                + " \"store_002\": 1}}"), json);

        HttpResponse<byte[]> api = getBytes("/aggregates?from=2024-09-01&to=2024-09-30");
        assertEquals(200, api.statusCode());
        assertArrayEquals(api.body(), exported, "the file and the API answer are the same bytes");

        // a store filter, and bad ranges refused before anything starts
        JobExecutionInfo one = BatchAwait.end(jobs, jobs.startSeedExport("2024-09-01", "2024-09-30T00:00:00", "store_002"),
                Duration.ofSeconds(60));
        assertArrayEquals(getBytes("/aggregates?from=2024-09-01&to=2024-09-30T00:00:00&stores=store_002").body(),
                Files.readAllBytes(Path.of(one.exitStatus())));
        assertEquals("to", assertThrows(JobParameterException.class,
                () -> jobs.startSeedExport("2024-09-30", "2024-09-01", null)).getParameter());
        assertEquals("from", assertThrows(JobParameterException.class,
                () -> jobs.startSeedExport("yesterday", "2024-09-01", null)).getParameter());
    }

    @Test
    void unknownExecutionIsA404() throws Exception {
        assertEquals(404, send("GET", "/jobs/executions/987654321").statusCode());
        assertEquals(404, send("POST", "/jobs/executions/987654321/restart").statusCode());
    }

    @Test
    void completedExecutionCannotBeRestarted() throws Exception {
        long id = jobs.startDailyAggregates("2024-11-22", "store_001");
        assertEquals("COMPLETED", BatchAwait.end(jobs, id, Duration.ofSeconds(60)).batchStatus());
        HttpResponse<String> restart = send("POST", "/jobs/executions/" + id + "/restart");
        assertEquals(409, restart.statusCode(), restart.body());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        int port = 8080 + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        // The API is for ADMIN only; the credentials are the test server's initial admin
        // (-Drva.admin.initial-password in arquillian.xml), used once the web module's security is in.
        String basic = Base64.getEncoder().encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/rva/api/v1" + path))
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
    private static HttpResponse<byte[]> getBytes(String path) throws Exception {
        int port = 8080 + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        String basic = Base64.getEncoder().encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/rva/api/v1" + path)).header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
