package com.rva.application.reports;

import static com.rva.application.aggregates.DailyAggregatesParameters.wholeNumber;

import java.util.List;

import com.rva.application.aggregates.DailyAggregatesParameters;
import com.rva.application.batch.JobParameterException;

/** The parameters of the {@code region-report} job. */
public final class RegionReportParameters {

    public static final String JOB_NAME = "region-report";
    /** Store-local day reported (ISO date); default yesterday. */
    public static final String DAY = "day";
    /** Optional comma-separated region codes; default every region. */
    public static final String REGIONS = "regions";
    /** k of the k-anonymity suppression; default the setting {@code reports.k-anonymity}. */
    public static final String K = "k";
    /** Send attempts per report within one run; default 3. */
    public static final String MAX_ATTEMPTS = "maxAttempts";
    /** Delay before the second attempt, doubled for each further one; default 2000 ms. */
    public static final String RETRY_DELAY_MILLIS = "retryDelayMillis";

    private RegionReportParameters() {
    }

    public static List<String> regionCodes(String value) {
        try {
            return DailyAggregatesParameters.storeCodes(value);
        } catch (JobParameterException e) {
            throw new JobParameterException(REGIONS, e.getMessage().replace("store code", "region code"));
        }
    }

    public static Integer k(String value) {
        return value == null || value.isBlank() ? null : wholeNumber(K, value, 1, 1, 1000);
    }

    public static int maxAttempts(String value) {
        return wholeNumber(MAX_ATTEMPTS, value, 3, 1, 20);
    }

    public static long retryDelayMillis(String value) {
        return wholeNumber(RETRY_DELAY_MILLIS, value, 2000, 0, 600_000);
    }
}
