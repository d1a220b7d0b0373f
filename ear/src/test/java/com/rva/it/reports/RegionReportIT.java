package com.rva.it.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rva.application.batch.BatchJobService;
import com.rva.application.batch.JobExecutionInfo;
import com.rva.application.batch.JobParameterException;
import com.rva.application.batch.JobStateException;
import com.rva.application.batch.ReportNotFoundException;
import com.rva.domain.Customer;
import com.rva.domain.Region;
import com.rva.domain.Store;
import com.rva.domain.Visit;
import com.rva.infrastructure.reports.ReportOutbox;
import com.rva.it.RvaDeployment;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;

/**
 * The region report in the server, received by GreenMail on the port the server's mail session points at
 * (rva.smtp.port): HTML + text + CSV content with small groups suppressed, exactly one e-mail per (region,
 * day) across a second run, and a failed send retried, reported (job FAILED) and sent by a restart.
 */
@ExtendWith(ArquillianExtension.class)
class RegionReportIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Deployment
    static EnterpriseArchive deployment() {
        EnterpriseArchive ear = RvaDeployment.earWith(RegionReportIT.class, com.rva.it.batch.BatchAwait.class);
        // GreenMail runs inside the server JVM, next to the test: the jar comes from this test's class path
        File greenMail = new File(GreenMail.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ear.addAsLibrary(greenMail.isFile() ? ShrinkWrap.createFromZipFile(JavaArchive.class, greenMail)
                : ShrinkWrap.create(JavaArchive.class, "greenmail.jar"));
        return ear;
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Resource
    UserTransaction utx;

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource ds;

    @Inject
    BatchJobService jobs;

    @EJB
    ReportOutbox outbox;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static GreenMail greenMail() {
        int port = Integer.getInteger("rva.smtp.port", 3025);
        GreenMail mail = new GreenMail(new ServerSetup(port, "localhost", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    @Test
    void eachRegionGetsOneReportWithSmallGroupsSuppressedEvenWhenRunTwice() throws Exception {
        LocalDate day = LocalDate.of(2024, 10, 15);
        long region = regionWithStores(day, 6, 2);
        recipients(region, "north.manager@example.com", "north.deputy@example.com");
        aggregate(day);

        GreenMail mail = greenMail();
        try {
            JobExecutionInfo first = awaitEnd(jobs.startRegionReport(day.toString(), "it_" + run, "5"));
            assertEquals("COMPLETED", first.batchStatus(), first.toString());
            assertTrue(first.exitStatus().startsWith("SENT=1 ALREADY_SENT=0"), first.exitStatus());
            MimeMessage[] received = mail.getReceivedMessages();
            assertEquals(2, received.length, "one message to two recipients");
            MimeMessage m = received[0];
            assertEquals("Visitor report IT region " + run + " (it_" + run + ") for " + day, m.getSubject());
            assertEquals("<region-report.it_" + run + "." + day + "@rva>", m.getMessageID());
            assertEquals(List.of("north.deputy@example.com", "north.manager@example.com"),
                    Arrays.stream(m.getAllRecipients()).map(Object::toString).sorted().toList());

            List<Part> parts = new ArrayList<>();
            flatten(m, parts);
            String html = content(parts, "text/html");
            String text = content(parts, "text/plain");
            Part csvPart = parts.stream().filter(p -> "attachment".equalsIgnoreCase(disposition(p))).findFirst().orElseThrow();
            assertEquals("visitors-it_" + run + "-" + day + ".csv", csvPart.getFileName());
            String csv = read(csvPart);

            // the big store: 6 customers, 6 visits of 10 minutes at 09:xx; all of them new to the store
            assertTrue(html.contains("Big store " + run + " (big_" + run + ")</td>"), html);
            assertTrue(html.contains(">6</td>") && html.contains(">10.0</td>") && html.contains(">09:00</td>"), html);
            assertTrue(text.contains("6 visits, 6 customers, dwell avg 10.0 min"), text);
            // the small store (2 customers < k=5) is named but shows nothing
            assertTrue(html.contains("Small store " + run + " (small_" + run + ")</td><td")
                    && html.contains("fewer than k customers"), html);
            assertFalse(html.contains(">2</td>"), "no figure of the small store: " + html);
            assertTrue(csv.contains("it_" + run + "," + day + ",big_" + run + ",Big store " + run + ",6,6,,,10.0,10.0,9,"), csv);
            assertTrue(csv.contains("it_" + run + "," + day + ",small_" + run + ",Small store " + run
                    + ",,,,,,,,fewer than k customers"), csv);

            ReportOutbox.Entry entry = outbox.find(region, day);
            assertEquals(ReportOutbox.SENT, entry.status());
            assertEquals(1, entry.attempts());

            // run twice: the log says SENT, nothing goes out again
            JobExecutionInfo second = awaitEnd(jobs.startRegionReport(day.toString(), "it_" + run, "5"));
            assertEquals("COMPLETED", second.batchStatus(), second.toString());
            assertTrue(second.exitStatus().startsWith("SENT=0 ALREADY_SENT=1"), second.exitStatus());
            assertEquals(2, mail.getReceivedMessages().length, "no second e-mail");
            assertEquals(1, outbox.find(region, day).attempts());
        } finally {
            mail.stop();
        }
    }

    @Test
    void aFailedSendIsRetriedReportedAndSentByTheRestart() throws Exception {
        LocalDate day = LocalDate.of(2024, 10, 16);
        long region = regionWithStores(day, 5, 0);
        recipients(region, "south.manager@example.com");
        aggregate(day);

        // no mail server listening: every attempt fails
        Properties p = new Properties();
        p.setProperty("day", day.toString());
        p.setProperty("regions", "it_" + run);
        p.setProperty("maxAttempts", "2");
        p.setProperty("retryDelayMillis", "100");
        long id = jobs.start("region-report", p);
        JobExecutionInfo failed = awaitEnd(id);
        assertEquals("FAILED", failed.batchStatus(), failed.toString());
        ReportOutbox.Entry entry = outbox.find(region, day);
        assertEquals(ReportOutbox.FAILED, entry.status());
        assertEquals(2, entry.attempts());
        assertTrue(entry.lastError() != null && !entry.lastError().isBlank(), entry.toString());

        GreenMail mail = greenMail();
        try {
            JobExecutionInfo restarted = awaitEnd(jobs.restart(id));
            assertEquals("COMPLETED", restarted.batchStatus(), restarted.toString());
            assertEquals(1, mail.getReceivedMessages().length);
            assertEquals(ReportOutbox.SENT, outbox.find(region, day).status());
            assertEquals(3, outbox.find(region, day).attempts());
        } finally {
            mail.stop();
        }
    }

    @Test
    void aRegionWithoutRecipientsIsReportedNotDropped() throws Exception {
        LocalDate day = LocalDate.of(2024, 10, 17);
        long region = regionWithStores(day, 1, 0);
        JobExecutionInfo done = awaitEnd(jobs.startRegionReport(day.toString(), "it_" + run, null));
        assertEquals("COMPLETED", done.batchStatus(), done.toString());
        assertTrue(done.exitStatus().contains("NO_RECIPIENTS=1"), done.exitStatus());
        assertEquals(ReportOutbox.NO_RECIPIENTS, outbox.find(region, day).status());
    }

    @Test
    void aReportLeftMidSendIsHeldUntilAnAdminReleasesIt() throws Exception {
        LocalDate day = LocalDate.of(2024, 10, 18);
        long region = regionWithStores(day, 5, 0);
        recipients(region, "west.manager@example.com");
        aggregate(day);
        // what a crash between the SMTP server's answer and the SENT update leaves: the row SENDING, claimed by
        // an execution that is no longer running
        long ended = jobs.executions(com.rva.application.aggregates.DailyAggregatesParameters.JOB_NAME, 1).get(0).executionId();
        outbox.ensure(region, day);
        assertTrue(outbox.claim(region, day, ended));
        String code = "it_" + run;

        GreenMail mail = greenMail();
        try {
            JobExecutionInfo held = awaitEnd(jobs.startRegionReport(day.toString(), code, null));
            assertEquals("COMPLETED", held.batchStatus(), held.toString());
            assertTrue(held.exitStatus().contains("UNCERTAIN=[" + code + "]"), held.exitStatus());
            assertEquals(0, mail.getReceivedMessages().length, "an uncertain report is not sent again by itself");
            assertTrue(jobs.uncertainReports().stream().anyMatch(e -> e.regionId() == region && e.day().equals(day)
                    && code.equals(e.regionCode())), jobs.uncertainReports().toString());

            jobs.releaseReport(code, day.toString());
            assertEquals(ReportOutbox.PENDING, outbox.find(region, day).status());
            assertTrue(jobs.uncertainReports().stream().noneMatch(e -> e.regionId() == region && e.day().equals(day)));
            JobExecutionInfo sent = awaitEnd(jobs.startRegionReport(day.toString(), code, null));
            assertEquals("COMPLETED", sent.batchStatus(), sent.toString());
            assertTrue(sent.exitStatus().startsWith("SENT=1"), sent.exitStatus());
            assertEquals(1, mail.getReceivedMessages().length);
            assertEquals(ReportOutbox.SENT, outbox.find(region, day).status());

            // a sent report, an unknown region and a missing day are refused, each with its own reason
            JobStateException notSending = assertThrows(JobStateException.class, () -> jobs.releaseReport(code, day.toString()));
            assertTrue(notSending.getMessage().contains("is SENT"), notSending.getMessage());
            assertThrows(ReportNotFoundException.class, () -> jobs.releaseReport("no_such_region", day.toString()));
            assertThrows(ReportNotFoundException.class, () -> jobs.releaseReport(code, day.plusDays(1).toString()));
            assertEquals("day", assertThrows(JobParameterException.class, () -> jobs.releaseReport(code, " ")).getParameter());
        } finally {
            mail.stop();
        }
    }

    private JobExecutionInfo awaitEnd(long id) throws InterruptedException {
        return com.rva.it.batch.BatchAwait.end(jobs, id, TIMEOUT);
    }

    private void aggregate(LocalDate day) throws InterruptedException {
        long id = jobs.startDailyAggregates(day.toString(), "big_" + run + ",small_" + run);
        assertEquals("COMPLETED", awaitEnd(id).batchStatus());
    }

    /** A region with a big and a small store (Berlin time), each customer one 10-minute visit at 09:xx. */
    private long regionWithStores(LocalDate day, int bigCustomers, int smallCustomers) throws Exception {
        utx.begin();
        Region region = new Region("it_" + run, "IT region " + run);
        em.persist(region);
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Store big = new Store("big_" + run, "Big store " + run, region, berlin);
        Store small = new Store("small_" + run, "Small store " + run, region, berlin);
        em.persist(big);
        em.persist(small);
        for (int i = 0; i < bigCustomers + smallCustomers; i++) {
            Customer c = new Customer(day.atStartOfDay());
            em.persist(c);
            LocalDateTime start = day.atTime(9, i).atZone(berlin).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
            Visit v = new Visit(c, i < bigCustomers ? big : small, start);
            v.include(start.plusMinutes(10));
            em.persist(v);
        }
        utx.commit();
        return region.getId();
    }

    private void recipients(long regionId, String... emails) throws Exception {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement("INSERT INTO region_report_recipient (id, region_id, email, display_name,"
                        + " active) VALUES (NEXT VALUE FOR rva_id_seq, ?, ?, ?, TRUE)")) {
            for (String e : emails) {
                ps.setLong(1, regionId);
                ps.setString(2, e);
                ps.setString(3, e.substring(0, e.indexOf('@')));
                ps.executeUpdate();
            }
        }
    }

    private static void flatten(Part part, List<Part> into) throws Exception {
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                flatten(child, into);
            }
        } else {
            into.add(part);
        }
    }

    private static String content(List<Part> parts, String type) throws Exception {
        for (Part p : parts) {
            if (p.isMimeType(type) && !"attachment".equalsIgnoreCase(disposition(p))) {
                return read(p);
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static String disposition(Part p) {
        try {
            return p.getDisposition();
        } catch (Exception e) {
            return null;
        }
    }

    private static String read(Part p) throws Exception {
        Object content = p.getContent();
        if (content instanceof String s) {
            return s;
        }
        try (var in = p.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
