package com.rva.interfaces.batch;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.analytics.AppearancesJson;
import com.rva.application.analytics.CustomerAppearances;
import com.rva.application.analytics.VisitAnalyticsService;
import com.rva.application.analytics.VisitQuery;
import com.rva.application.exports.SeedExportParameters;
import com.rva.application.security.CallerScope;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Writes the seed's aggregate JSON for a range to a file, through the same query and writer as
 * {@code GET /api/v1/aggregates}, so the file and the API's answer for the same range are the same bytes.
 * The file appears whole or not at all (written aside, then moved into place).
 */
@Named("seedExportBatchlet")
@Dependent
public class SeedExportBatchlet extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(SeedExportBatchlet.class.getName());

    @Inject
    JobContext jobContext;

    @Inject
    @BatchProperty(name = SeedExportParameters.FROM)
    String from;

    @Inject
    @BatchProperty(name = SeedExportParameters.TO)
    String to;

    @Inject
    @BatchProperty(name = SeedExportParameters.STORES)
    String stores;

    @Inject
    VisitAnalyticsService analytics;

    @Override
    public String process() throws Exception {
        LocalDateTime start = SeedExportParameters.bound(SeedExportParameters.FROM, from, false);
        LocalDateTime end = SeedExportParameters.bound(SeedExportParameters.TO, to, true);
        // started by an admin (the jobs API is ADMIN only) or a schedule: the whole chain, like an admin's GET
        List<CustomerAppearances> customers = analytics.appearances(
                VisitQuery.of(start, end, DailyAggregatesParameters.storeCodes(stores)), CallerScope.everything(SeedExportParameters.JOB_NAME));
        Path folder = SeedExportParameters.folder();
        Files.createDirectories(folder);
        Path file = SeedExportParameters.file(folder, start, end);
        Path part = folder.resolve(file.getFileName() + ".part");
        try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            AppearancesJson.write(customers, out);
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info(() -> "seed-export execution " + jobContext.getExecutionId() + ": " + customers.size()
                + " customer(s), visits from " + start + " to " + end + " UTC, written to " + file);
        jobContext.setExitStatus(file.toString());
        return file.toString();
    }
}
