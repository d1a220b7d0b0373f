package com.rva.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobScheduler;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.JobParameterException;
import com.rva.application.batch.ScheduledJob;
import com.rva.domain.Camera;
import com.rva.domain.Customer;
import com.rva.domain.Region;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The daily-aggregates job in the server: it counts per store-local day (DESIGN §1), equals an
 * independent SQL recount, re-runs to identical rows, and a failed run restarts from its checkpoint.
 */
@ExtendWith(ArquillianExtension.class)
class DailyAggregatesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(DailyAggregatesIT.class, BatchAwait.class, AggregateTables.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource ds;

    @Inject
    BatchJobService jobs;

    @Inject
    JobScheduler scheduler;

    private final String run = UUID.randomUUID().toString();
    private int frame;

    @Test
    void aggregatesFollowStoreLocalDaysEqualARecountAndReRunIdentically() throws Exception {
        LocalDate day = LocalDate.of(2024, 11, 26);
        utx.begin();
        // the seed's customer: two visits to store_001 and one to store_002 on the 26th
        Customer seed = customer();
        visit(seed, "store_001", day.atTime(10, 5), 0, 2, 4);
        visit(seed, "store_001", day.atTime(15, 0), 0, 3);
        visit(seed, "store_002", day.atTime(12, 0), 0);
        // Athens is UTC+2 in November
        Customer night = customer();
        visit(night, "store_002", day.atTime(0, 30), 0, 5);          // 22:30 UTC on the 25th: the 26th here
        visit(night, "store_002", day.atTime(23, 30), 0);             // 21:30 UTC on the 26th: the 26th
        visit(night, "store_002", day.plusDays(1).atTime(0, 30), 0);  // 22:30 UTC on the 26th: the 27th here
        // a visit that starts before local midnight and ends after it: its visit counts on the 26th,
        // its sightings on the day they were captured
        Customer late = customer();
        visit(late, "store_001", day.atTime(23, 50), 0, 8, 16, 24);
        visit(late, "store_002", day.minusDays(1).atTime(23, 30), 0); // the 25th
        // seen only at 00:15 Berlin time on the 27th (23:15 UTC on the 26th): not on the 26th at all
        Customer tomorrow = customer();
        visit(tomorrow, "store_001", day.plusDays(1).atTime(0, 15), 0);
        utx.commit();

        AggregateTables tables = new AggregateTables(ds);
        JobExecutionInfo first = runToCompletion(null, day);
        List<String> storeRows = tables.storeRows(day);
        List<String> customerRows = tables.customerRows(day);
        assertEquals(tables.storeRecount(day, null), storeRows, "store rows vs SQL recount");
        assertEquals(tables.customerRecount(day), customerRows, "customer rows vs SQL recount");
        assertTrue(storeRows.size() >= 2, "a row for every store, even without visits: " + storeRows);

        // what the rule says for the customers of this test, worked out by hand
        long s1 = store("store_001").getId();
        long s2 = store("store_002").getId();
        assertEquals(List.of(seed.getId() + "@" + s1 + " visits=2", seed.getId() + "@" + s2 + " visits=1"),
                rowsOf(customerRows, seed));
        assertEquals(List.of(night.getId() + "@" + s2 + " visits=2"), rowsOf(customerRows, night));
        assertEquals(List.of(late.getId() + "@" + s1 + " visits=1"), rowsOf(customerRows, late));
        // the seed's aggregate: appearances to date per customer and store
        assertEquals(List.of(seed.getId() + "@" + s1 + " appearances=2 " + day + ".." + day,
                seed.getId() + "@" + s2 + " appearances=1 " + day + ".." + day), tables.appearancesToDate(List.of(seed.getId())));
        assertEquals(List.of(), rowsOf(customerRows, tomorrow));
        // the next days hold the rest (checked against the recount, too)
        runToCompletion(null, day.plusDays(1));
        List<String> nextDay = tables.customerRows(day.plusDays(1));
        assertEquals(tables.customerRecount(day.plusDays(1)), nextDay);
        assertEquals(List.of(night.getId() + "@" + s2 + " visits=1"), rowsOf(nextDay, night));
        assertEquals(List.of(tomorrow.getId() + "@" + s1 + " visits=1"), rowsOf(nextDay, tomorrow));
        assertEquals(tables.storeRecount(day.plusDays(1), null), tables.storeRows(day.plusDays(1)));

        // idempotent: the same day again gives the same rows, freshly computed
        Map<Long, Timestamp> firstComputed = tables.computedAt(day);
        JobExecutionInfo second = runToCompletion(null, day);
        assertTrue(second.executionId() > first.executionId());
        assertEquals(storeRows, tables.storeRows(day));
        assertEquals(customerRows, tables.customerRows(day));
        tables.computedAt(day).forEach((store, at) -> assertFalse(at.before(firstComputed.get(store)), "rewritten"));

        // a visit added later is picked up by a re-run: the day's rows are replaced, not added to
        utx.begin();
        visit(em.find(Customer.class, seed.getId()), "store_002", day.atTime(18, 0), 0, 1);
        utx.commit();
        runToCompletion(null, day);
        List<String> third = tables.customerRows(day);
        assertEquals(tables.customerRecount(day), third);
        assertEquals(tables.storeRecount(day, null), tables.storeRows(day));
        assertEquals(List.of(seed.getId() + "@" + s1 + " visits=2", seed.getId() + "@" + s2 + " visits=2"),
                rowsOf(third, seed));
        assertEquals(customerRows.size(), third.size());
    }

    @Test
    void aLateCropMakesItsPastDayStaleAndTheNextRunRecomputesIt() throws Exception {
        LocalDate day = LocalDate.of(2024, 11, 10);
        AggregateTables tables = new AggregateTables(ds);
        utx.begin();
        Customer c = customer();
        visit(c, "store_001", day.minusDays(3).atTime(9, 0), 0, 5);
        visit(c, "store_001", day.atTime(10, 0), 0, 5);
        utx.commit();
        runToCompletion("store_001", day.minusDays(3));
        runToCompletion("store_001", day);
        long s1 = store("store_001").getId();
        assertEquals(List.of(c.getId() + "@" + s1 + " appearances=2 " + day.minusDays(3) + ".." + day),
                tables.appearancesToDate(List.of(c.getId())));
        List<String> before = tables.storeRows(day);
        Map<Long, Timestamp> computed = tables.computedAt(day);

        // the collector was offline: a crop of that day arrives now, after the day was aggregated
        utx.begin();
        visitReceived(em.find(Customer.class, c.getId()), "store_001", day.atTime(16, 0),
                LocalDateTime.now(ZoneOffset.UTC), 0, 10);
        utx.commit();
        assertEquals(before, tables.storeRows(day), "stale until the next run");
        // the next night's run is for another day, yet it recomputes the stale day too
        runToCompletion("store_001", day.plusDays(1));
        List<String> after = tables.storeRows(day);
        assertEquals(tables.storeRecount(day, List.of(s1)), after.stream().filter(r -> r.startsWith(s1 + " ")).toList());
        assertTrue(tables.computedAt(day).get(s1).after(computed.get(s1)), "recomputed");
        assertEquals(List.of(c.getId() + "@" + s1 + " visits=2"), rowsOf(tables.customerRows(day), c));
        assertEquals(List.of(c.getId() + "@" + s1 + " appearances=3 " + day.minusDays(3) + ".." + day),
                tables.appearancesToDate(List.of(c.getId())));
        assertEquals(before.size(), after.size());

        // once recomputed it is no longer stale: another run leaves it alone
        Map<Long, Timestamp> recomputed = tables.computedAt(day);
        runToCompletion("store_001", day.plusDays(1));
        assertEquals(recomputed, tables.computedAt(day));
    }

    @Test
    void storesParameterLimitsTheRunToThoseStores() throws Exception {
        LocalDate day = LocalDate.of(2024, 11, 20);
        utx.begin();
        Customer c = customer();
        visit(c, "store_001", day.atTime(9, 0), 0);
        visit(c, "store_002", day.atTime(9, 0), 0, 1);
        utx.commit();

        JobExecutionInfo done = runToCompletion("store_002", day);
        assertEquals(Map.of("day", day.toString(), "stores", "store_002"), done.parameters());
        long s2 = store("store_002").getId();
        AggregateTables tables = new AggregateTables(ds);
        assertEquals(tables.storeRecount(day, List.of(s2)), tables.storeRows(day));
        assertEquals(List.of(c.getId() + "@" + s2 + " visits=1"), rowsOf(tables.customerRows(day), c));
    }

    @Test
    void failedRunRestartsFromItsCheckpoint() throws Exception {
        LocalDate day = LocalDate.of(2024, 11, 21);
        AggregateTables tables = new AggregateTables(ds);
        utx.begin();
        Store broken = new Store("it_zone_" + run.substring(0, 8), "IT store with a broken zone",
                em.find(Region.class, 1L), ZoneId.of("Europe/Lisbon"));
        em.persist(broken);
        em.persist(new Camera(broken, "cam-1", "Entrance"));
        Customer c = customer();
        visit(c, "store_001", day.atTime(11, 0), 0);
        utx.commit();
        long brokenId = broken.getId();
        tables.update("DELETE FROM store_day_aggregate WHERE local_day = ?", day); // rows of earlier test runs
        try {
            // one store per chunk; the new store sorts after the demo stores and fails its chunk
            tables.update("UPDATE store SET time_zone = 'Mars/Olympus_Mons' WHERE id = ?", brokenId);
            long id = jobs.start("daily-aggregates", props("day", day.toString(), "storesPerChunk", "1"));
            JobExecutionInfo failed = BatchAwait.end(jobs, id, TIMEOUT);
            assertEquals("FAILED", failed.batchStatus());
            Map<Long, Timestamp> beforeRestart = tables.computedAt(day);
            assertTrue(beforeRestart.keySet().containsAll(List.of(1L, 2L)), "demo stores done: " + beforeRestart);
            assertFalse(beforeRestart.containsKey(brokenId));

            tables.update("UPDATE store SET time_zone = 'Europe/Lisbon' WHERE id = ?", brokenId);
            long restarted = jobs.restart(id);
            JobExecutionInfo done = BatchAwait.end(jobs, restarted, TIMEOUT);
            assertEquals("COMPLETED", done.batchStatus(), done.toString());
            Map<Long, Timestamp> afterRestart = tables.computedAt(day);
            assertTrue(afterRestart.containsKey(brokenId), "the failed store is done now");
            // the stores before the checkpoint were not done again
            assertEquals(beforeRestart.get(1L), afterRestart.get(1L));
            assertEquals(beforeRestart.get(2L), afterRestart.get(2L));
            assertEquals(tables.storeRecount(day, null), tables.storeRows(day));
            assertEquals(tables.customerRecount(day), tables.customerRows(day));
        } finally {
            // leave the shared test database with the demo stores only
            tables.update("DELETE FROM store_day_aggregate WHERE store_id = ?", brokenId);
            tables.update("DELETE FROM camera WHERE store_id = ?", brokenId);
            tables.update("DELETE FROM store WHERE id = ?", brokenId);
        }
    }

    @Test
    void schedulesAreDataAndADueRunIsStartedOnceByThePersistentTimer() throws Exception {
        ScheduledJob nightly = scheduler.schedules().stream().filter(s -> s.jobName().equals("daily-aggregates"))
                .findFirst().orElseThrow();
        assertTrue(nightly.persistent(), "the ticking timer is persistent");
        assertTrue(nightly.schedule().startsWith("02:30"), nightly.toString());
        AggregateTables tables = new AggregateTables(ds);
        // make the nightly run due now; the next tick (this call, or the timer's own) starts it, once
        tables.update("UPDATE job_schedule SET next_run_at = ?, last_execution_id = NULL WHERE job_name = 'daily-aggregates'",
                LocalDateTime.now(ZoneOffset.UTC).minusMinutes(5));
        scheduler.runDue(LocalDateTime.now(ZoneOffset.UTC));
        assertEquals(List.of(), scheduler.runDue(LocalDateTime.now(ZoneOffset.UTC)), "claimed: not started again");
        ScheduledJob after = scheduler.schedules().stream().filter(s -> s.jobName().equals("daily-aggregates"))
                .findFirst().orElseThrow();
        LocalDateTime next = after.nextRun().atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
        assertEquals(LocalTime.of(2, 30), next.toLocalTime());
        assertTrue(next.isAfter(LocalDateTime.now()) && next.isBefore(LocalDateTime.now().plusHours(25)), next.toString());
        long started = tables.scheduleExecution("daily-aggregates");
        JobExecutionInfo run = BatchAwait.end(jobs, started, TIMEOUT);
        assertEquals("COMPLETED", run.batchStatus());
        assertEquals(LocalDate.now().minusDays(1).toString(), run.parameters().get("day"));

        // an admin moves it and disables it; a bad time is refused
        assertEquals("04:15", scheduler.update("daily-aggregates", 4, 15, false).schedule().substring(0, 5));
        tables.update("UPDATE job_schedule SET next_run_at = ? WHERE job_name = 'daily-aggregates'",
                LocalDateTime.now(ZoneOffset.UTC).minusMinutes(5));
        assertEquals(List.of(), scheduler.runDue(LocalDateTime.now(ZoneOffset.UTC)), "disabled");
        assertThrows(JobParameterException.class, () -> scheduler.update("daily-aggregates", 24, 0, true));
        scheduler.update("daily-aggregates", 2, 30, true);
    }

    @Test
    void badParametersAreRefusedBeforeAnythingStarts() {
        assertEquals("day", assertThrows(JobParameterException.class,
                () -> jobs.startDailyAggregates("2024-02-30", null)).getParameter());
        assertEquals("day", assertThrows(JobParameterException.class,
                () -> jobs.startDailyAggregates(LocalDate.now().plusDays(2).toString(), null)).getParameter());
        JobParameterException unknown = assertThrows(JobParameterException.class,
                () -> jobs.startDailyAggregates("2024-11-26", "store_001,store_999"));
        assertEquals("stores", unknown.getParameter());
        assertTrue(unknown.getMessage().contains("store_999"), unknown.getMessage());
        assertEquals("job", assertThrows(JobParameterException.class,
                () -> jobs.start("no-such-job", new Properties())).getParameter());
    }

    @Test
    void withoutADayTheJobAggregatesYesterdayAndIsListed() throws Exception {
        long id = jobs.startDailyAggregates(null, "store_001");
        JobExecutionInfo done = BatchAwait.end(jobs, id, TIMEOUT);
        assertEquals("COMPLETED", done.batchStatus());
        assertEquals(LocalDate.now().minusDays(1).toString(), done.parameters().get("day"));
        assertNotNull(done.startedAt());
        assertNotNull(done.endedAt());
        List<JobExecutionInfo> listed = jobs.executions(20);
        assertEquals(id, listed.get(0).executionId(), "newest first: " + listed);
        assertEquals("daily-aggregates", listed.get(0).jobName());
    }

    private JobExecutionInfo runToCompletion(String stores, LocalDate day) throws InterruptedException {
        long id = jobs.startDailyAggregates(day.toString(), stores);
        JobExecutionInfo done = BatchAwait.end(jobs, id, TIMEOUT);
        assertEquals("COMPLETED", done.batchStatus(), done.toString());
        return done;
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static List<String> rowsOf(List<String> rows, Customer c) {
        return rows.stream().filter(r -> r.startsWith(c.getId() + "@")).toList();
    }

    private Customer customer() {
        Customer c = new Customer(LocalDateTime.of(2024, 11, 1, 8, 0));
        em.persist(c);
        return c;
    }

    private Store store(String code) {
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code).getSingleResult();
    }

    /** A visit starting at {@code localStart} (store-local time) with one sighting per minute offset. */
    private void visit(Customer customer, String storeCode, LocalDateTime localStart, int... minutes) {
        visitReceived(customer, storeCode, localStart, null, minutes);
    }

    /** The same, its sightings received at {@code receivedAtUtc} (null: two seconds after capture). */
    private void visitReceived(Customer customer, String storeCode, LocalDateTime localStart,
            LocalDateTime receivedAtUtc, int... minutes) {
        Store store = store(storeCode);
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class)
                .setParameter("store", store).setParameter("code", "cam-1").getSingleResult();
        LocalDateTime startUtc = localStart.atZone(store.getZoneId()).withZoneSameInstant(ZoneOffset.UTC)
                .toLocalDateTime();
        Visit visit = new Visit(customer, store, startUtc);
        em.persist(visit);
        for (int m : minutes) {
            LocalDateTime at = startUtc.plusMinutes(m);
            visit.include(at);
            Sighting s = new Sighting("it-aggregates/" + run + "/" + frame++, customer, camera, at,
                    receivedAtUtc == null ? at.plusSeconds(2) : receivedAtUtc,
                    0.9f, 0.95f, 0.8f);
            s.assignTo(visit);
            em.persist(s);
        }
    }
}
