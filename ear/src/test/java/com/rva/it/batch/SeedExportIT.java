package com.rva.it.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/** seed-export writes, for a range, the very bytes GET /api/v1/aggregates answers for it. */
@ExtendWith(ArquillianExtension.class)
class SeedExportIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(SeedExportIT.class, BatchAwait.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Inject
    BatchJobService jobs;

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

        HttpResponse<byte[]> api = get("/aggregates?from=2024-09-01&to=2024-09-30");
        assertEquals(200, api.statusCode());
        assertArrayEquals(api.body(), exported, "the file and the API answer are the same bytes");

        // a store filter, and bad ranges refused before anything starts
        JobExecutionInfo one = BatchAwait.end(jobs, jobs.startSeedExport("2024-09-01", "2024-09-30T00:00:00", "store_002"),
                Duration.ofSeconds(60));
        assertArrayEquals(get("/aggregates?from=2024-09-01&to=2024-09-30T00:00:00&stores=store_002").body(),
                Files.readAllBytes(Path.of(one.exitStatus())));
        assertEquals("to", org.junit.jupiter.api.Assertions.assertThrows(JobParameterException.class,
                () -> jobs.startSeedExport("2024-09-30", "2024-09-01", null)).getParameter());
        assertEquals("from", org.junit.jupiter.api.Assertions.assertThrows(JobParameterException.class,
                () -> jobs.startSeedExport("yesterday", "2024-09-01", null)).getParameter());
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        int port = 8080 + Integer.getInteger("jboss.socket.binding.port-offset", 0);
        String basic = Base64.getEncoder().encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/rva/api/v1" + path)).header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
