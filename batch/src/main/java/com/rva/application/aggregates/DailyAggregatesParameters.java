package com.rva.application.aggregates;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.rva.application.batch.JobParameterException;

/** The parameters of the {@code daily-aggregates} job and how they are read. */
public final class DailyAggregatesParameters {

    public static final String JOB_NAME = "daily-aggregates";
    /** ISO date (2024-11-26) of the store-local day to aggregate; default: yesterday. */
    public static final String DAY = "day";
    /** Optional comma-separated store codes (store_001,store_002); default: every store. */
    public static final String STORES = "stores";
    /** First day of a range ending at {@code day} (a backfill); blank: just {@code day}. */
    public static final String FROM = "from";
    /** The longest range one run may cover. */
    public static final int MAX_RANGE_DAYS = 3660;

    /** How many partitions (threads) share the stores; default 2. */
    public static final String PARTITIONS = "partitions";
    /** Days back (by receipt time) the run looks for late crops that make past days stale; default 7. */
    public static final String STALE_LOOKBACK_DAYS = "staleLookbackDays";

    private static final Pattern STORE_CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private DailyAggregatesParameters() {
    }

    /**
     * The day to aggregate: {@code value} as an ISO date, or yesterday by {@code clock} when it is blank.
     * A day after today cannot have data yet and is refused.
     */
    public static LocalDate day(String value, Clock clock) {
        LocalDate today = LocalDate.now(clock);
        if (value == null || value.isBlank()) {
            return today.minusDays(1);
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new JobParameterException(DAY, "'" + value + "' is not an ISO date such as 2024-11-26");
        }
        if (day.isAfter(today)) {
            throw new JobParameterException(DAY, day + " is in the future (today is " + today + ")");
        }
        return day;
    }

    /**
     * The first day of the run's range: {@code value} as an ISO date not after {@code day} and at most
     * {@link #MAX_RANGE_DAYS} days before it, or {@code day} itself when blank.
     */
    public static LocalDate from(String value, LocalDate day) {
        if (value == null || value.isBlank()) {
            return day;
        }
        LocalDate from;
        try {
            from = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new JobParameterException(FROM, "'" + value + "' is not an ISO date such as 2024-11-26");
        }
        if (from.isAfter(day)) {
            throw new JobParameterException(FROM, from + " is after the day " + day);
        }
        if (from.isBefore(day.minusDays(MAX_RANGE_DAYS - 1))) {
            throw new JobParameterException(FROM, from + " .. " + day + " is longer than " + MAX_RANGE_DAYS + " days");
        }
        return from;
    }

    /** The store codes asked for, in order and without repeats; empty means every store. */
    public static List<String> storeCodes(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> codes = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String code = part.strip();
            if (code.isEmpty()) {
                continue;
            }
            if (!STORE_CODE.matcher(code).matches()) {
                throw new JobParameterException(STORES, "'" + code + "' is not a store code");
            }
            codes.add(code);
        }
        return new ArrayList<>(codes);
    }

    /** Partitions: 1 to 64, default 2. */
    public static int partitions(String value) {
        return wholeNumber(PARTITIONS, value, 2, 1, 64);
    }

    /** Stores per chunk (transaction and checkpoint), each with all its days of the run: 1 to 1000, default 10. */
    public static int storesPerChunk(String value) {
        return wholeNumber("storesPerChunk", value, 10, 1, 1000);
    }

    /** Stale-day look-back in days: 0 (off) to 366, default 7. */
    public static int staleLookbackDays(String value) {
        return wholeNumber(STALE_LOOKBACK_DAYS, value, 7, 0, 366);
    }

    /**
     * A whole-number job parameter from {@code min} to {@code max}, {@code dflt} when blank.
     *
     * @throws JobParameterException naming the parameter when the value is not such a number
     */
    public static int wholeNumber(String name, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new JobParameterException(name, "'" + value + "' is not a whole number from " + min + " to " + max);
    }

    /** The inverse of {@link #storeCodes(String)}, for the job parameters. */
    public static String joinStoreCodes(List<String> codes) {
        return String.join(",", codes);
    }
}
