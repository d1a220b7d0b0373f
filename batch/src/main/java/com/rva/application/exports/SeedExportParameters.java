package com.rva.application.exports;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import com.rva.application.batch.JobParameterException;

/**
 * The parameters of the {@code seed-export} job, read as the API's {@code /aggregates} reads its range: {@code from}
 * and {@code to} are UTC ISO dates or date-times; a date as {@code to} includes that day, a date-time is exclusive.
 */
public final class SeedExportParameters {

    public static final String JOB_NAME = "seed-export";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String STORES = "stores";

    private SeedExportParameters() {
    }

    public static LocalDateTime bound(String name, String value, boolean end) {
        if (value == null || value.isBlank()) {
            throw new JobParameterException(name, "is required (an ISO date such as 2024-11-26 or 2024-11-26T10:05:00)");
        }
        String v = value.strip();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return end ? d.plusDays(1).atStartOfDay() : d.atStartOfDay();
            }
            return LocalDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new JobParameterException(name, "'" + value + "' is not an ISO date or date-time");
        }
    }

    /** The export file of a range: {@code aggregates_<from>_<to>.json} in the export folder. */
    public static Path file(Path folder, LocalDateTime fromUtc, LocalDateTime toUtc) {
        return folder.resolve("aggregates_" + fromUtc.toString().replace(':', '-') + "_"
                + toUtc.toString().replace(':', '-') + ".json");
    }

    /** The export folder: {@code -Drva.export.dir}, else {@code rva-exports} in the server's data folder. */
    public static Path folder() {
        String dir = System.getProperty("rva.export.dir");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("jboss.server.data.dir", System.getProperty("java.io.tmpdir")) + "/rva-exports";
        }
        return Path.of(dir);
    }
}
