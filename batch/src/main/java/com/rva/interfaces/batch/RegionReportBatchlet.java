package com.rva.interfaces.batch;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.reports.RegionReport;
import com.rva.application.reports.RegionReportParameters;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.infrastructure.reports.JpaRegionReportRepository;
import com.rva.infrastructure.reports.JpaRegionReportRepository.RegionRef;
import com.rva.infrastructure.reports.ReportMailer;
import com.rva.infrastructure.reports.ReportOutbox;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Sends each region its report for a day, exactly once per (region, day): the send log row is written
 * and then claimed (each committed) before the mail goes out, and marked SENT right after. A run that
 * finds the row SENT skips it; one that finds it SENDING (a crash mid-send) does not send it again but
 * reports it. A failed send is retried with a growing delay; when the attempts are used up the row is
 * FAILED, the job ends FAILED naming the regions, and a restart or the next run tries them again.
 */
@Named("regionReportBatchlet")
@Dependent
public class RegionReportBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(RegionReportBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty(name = RegionReportParameters.DAY)
    String day;

    @Inject
    @BatchProperty(name = RegionReportParameters.REGIONS)
    String regions;

    @Inject
    @BatchProperty(name = RegionReportParameters.K)
    String k;

    @Inject
    @BatchProperty(name = RegionReportParameters.MAX_ATTEMPTS)
    String maxAttempts;

    @Inject
    @BatchProperty(name = RegionReportParameters.RETRY_DELAY_MILLIS)
    String retryDelayMillis;

    @Inject
    JpaRegionReportRepository repository;

    @Inject
    ReportMailer mailer;

    @EJB
    ReportOutbox outbox;

    @EJB
    SettingsService settings;

    private volatile boolean stopRequested;

    @Override
    public String process() throws Exception {
        LocalDate reportDay = DailyAggregatesParameters.day(day, Clock.systemDefaultZone());
        List<RegionRef> selected = repository.regions(RegionReportParameters.regionCodes(regions));
        Integer kParam = RegionReportParameters.k(k);
        int kValue = kParam != null ? kParam : settings.getInt(Setting.REPORT_K_ANONYMITY);
        int attempts = RegionReportParameters.maxAttempts(maxAttempts);
        long delay = RegionReportParameters.retryDelayMillis(retryDelayMillis);
        long execution = jobContext.getExecutionId();
        LOG.info(() -> "region-report execution " + execution + ": day " + reportDay + ", " + selected.size()
                + " region(s), k=" + kValue);
        for (RegionRef region : selected) {
            outbox.ensure(region.id(), reportDay);
        }
        int sent = 0;
        int already = 0;
        int noRecipients = 0;
        List<String> uncertain = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int done = 0;
        for (RegionRef region : selected) {
            if (stopRequested) {
                LOG.info(() -> "region-report execution " + execution + " stopped; a restart sends the rest");
                return "STOPPED";
            }
            done++;
            if (!outbox.claim(region.id(), reportDay, execution)) {
                ReportOutbox.Entry entry = outbox.find(region.id(), reportDay);
                if (ReportOutbox.SENT.equals(entry.status())) {
                    already++;
                    LOG.info(() -> "region-report " + region.code() + " " + reportDay + " was sent already ("
                            + entry.messageId() + "): not sent again");
                } else {
                    uncertain.add(region.code());
                    LOG.warning(() -> "region-report " + region.code() + " " + reportDay + " is " + entry.status()
                            + " by execution " + entry.jobExecutionId() + ", which ended mid-send: not sent again, so"
                            + " no one gets it twice; check the recipients' mailboxes and release it to resend");
                }
                continue;
            }
            List<String> to = repository.recipients(region.id());
            if (to.isEmpty()) {
                outbox.noRecipients(region.id(), reportDay);
                noRecipients++;
                LOG.warning(() -> "region-report " + region.code() + " " + reportDay
                        + ": the region has no active recipients; add some and run the job again");
                continue;
            }
            RegionReport report = RegionReport.of(region.code(), region.name(), reportDay, kValue,
                    repository.storeFigures(region.id(), reportDay),
                    codes -> repository.distinctCustomers(reportDay, codes));
            if (send(region, report, to, attempts, delay)) {
                sent++;
            } else {
                failed.add(region.code());
            }
            int progress = done;
            LOG.info(() -> "region-report progress: " + progress + " of " + selected.size() + " region(s)");
        }
        String summary = "SENT=" + sent + " ALREADY_SENT=" + already + " NO_RECIPIENTS=" + noRecipients
                + " UNCERTAIN=" + uncertain + " FAILED=" + failed;
        LOG.info(() -> "region-report execution " + execution + " " + reportDay + ": " + summary);
        jobContext.setExitStatus(summary); // the job's, for the execution history
        if (!failed.isEmpty()) {
            throw new IllegalStateException("region-report " + reportDay + ": the report of region(s) " + failed
                    + " could not be sent after " + attempts + " attempt(s); restart the execution to try again ("
                    + summary + ")");
        }
        return summary;
    }

    private boolean send(RegionRef region, RegionReport report, List<String> to, int attempts, long delay)
            throws InterruptedException {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                String id = mailer.send(report, to);
                outbox.sent(region.id(), report.day(), id, String.join(",", to));
                LOG.info(() -> "region-report " + region.code() + " " + report.day() + " sent to " + to.size()
                        + " recipient(s) as " + id);
                return true;
            } catch (Exception e) {
                outbox.attemptFailed(region.id(), report.day(), e.toString());
                int n = attempt;
                LOG.log(n < attempts ? Level.WARNING : Level.SEVERE, e, () -> "region-report " + region.code() + " "
                        + report.day() + ": send attempt " + n + " of " + attempts + " failed");
                if (attempt < attempts) {
                    Thread.sleep(delay << (attempt - 1));
                }
            }
        }
        outbox.failed(region.id(), report.day());
        return false;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }
}
