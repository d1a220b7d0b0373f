package com.rva.application.settings;

import java.util.function.Predicate;

/**
 * Settings an admin can change at run time (stored in {@code app_setting}); each has a shipped
 * default and a validity rule, so a bad value is refused with a message naming the setting.
 */
public enum Setting {

    /**
     * Cosine similarity (best template of a customer) at or above which a crop is attached to that customer;
     * also the bar one template pair must reach for consolidation to merge two customers. The default lies
     * five impostor standard deviations above the impostor mean, above every impostor pair measured
     * (docs/recognition.md; checked by MatchThresholdTest and ./rva eval).
     */
    MATCH_THRESHOLD("match.threshold", "0.50", "a number between 0 and 1", v -> between(v, 0, 1)),
    /** How many templates (best quality first) a customer keeps per model version. */
    TEMPLATES_PER_CUSTOMER("match.templates-per-customer", "8", "a whole number between 1 and 64",
            v -> isInt(v) && between(v, 1, 64)),
    /**
     * The lowest average template similarity at which nightly consolidation merges two customers, reached
     * only by large template sets (see {@code MergeRule}); between the highest average of two different people
     * and the lowest of one person on the labelled photos (docs/recognition.md).
     */
    MERGE_FLOOR("consolidation.merge-floor", "0.27", "a number between 0 and 1", v -> between(v, 0.01, 1)),
    /** Longest gap between two sightings of one customer in one store that still makes one visit. */
    VISIT_GAP_MINUTES("visit.gap-minutes", "30", "a whole number of minutes between 1 and 1440",
            v -> isInt(v) && between(v, 1, 1440)),
    /** Capture times further ahead of the server clock than this are refused. */
    MAX_CLOCK_SKEW_MINUTES("ingest.max-clock-skew-minutes", "10", "a whole number of minutes between 0 and 1440",
            v -> isInt(v) && between(v, 0, 1440)),
    /** Region reports suppress every group (a store's day, a new/returning split) with fewer customers. */
    REPORT_K_ANONYMITY("reports.k-anonymity", "5", "a whole number of customers between 1 and 1000",
            v -> isInt(v) && between(v, 1, 1000)),
    /** retention-purge deletes sightings captured longer ago (their visits keep the sighting count). */
    RETENTION_SIGHTINGS_DAYS("retention.sightings-days", "90", "a whole number of days between 1 and 36500",
            v -> isInt(v) && between(v, 1, 36500)),
    /** retention-purge deletes visits (with any sightings left) that ended longer ago. */
    RETENTION_VISITS_DAYS("retention.visits-days", "730", "a whole number of days between 1 and 36500",
            v -> isInt(v) && between(v, 1, 36500)),
    /** retention-purge deletes the templates of customers not seen for longer (they are enrolled anew if they come back). */
    RETENTION_TEMPLATES_DAYS("retention.templates-days", "365", "a whole number of days between 1 and 36500",
            v -> isInt(v) && between(v, 1, 36500)),
    /**
     * From this many templates of the current model version the gallery searches an ANN index (HNSW over int8
     * templates) instead of scanning every template exactly; read when the gallery loads (server start).
     */
    GALLERY_ANN_FROM("gallery.ann-from", "50000", "a whole number of templates between 1 and 100000000",
            v -> isInt(v) && between(v, 1, 100_000_000)),
    /**
     * Candidates the ANN index keeps while it searches ({@code efSearch}): more finds the nearest template more
     * often and costs more per search (docs/recognition.md, {@code ./rva bench gallery}); read when the gallery
     * loads. The default is {@code HnswGallery.Settings.DEFAULT}'s.
     */
    GALLERY_ANN_EF_SEARCH("gallery.ann-ef-search", "128", "a whole number of candidates between 1 and 4096",
            v -> isInt(v) && between(v, 1, 4096));

    private final String key;
    private final String defaultValue;
    private final String expected;
    private final Predicate<String> valid;

    Setting(String key, String defaultValue, String expected, Predicate<String> valid) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.expected = expected;
        this.valid = valid;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** What a valid value is, as the admin page says it. */
    public String expected() {
        return expected;
    }

    /**
     * @throws IllegalArgumentException naming the setting and what it expects
     */
    public String validate(String value) {
        String v = value == null ? "" : value.trim();
        if (!valid.test(v)) {
            throw new IllegalArgumentException("Setting " + key + " must be " + expected + ", not '" + value + "'");
        }
        return v;
    }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown setting '" + key + "'");
    }

    private static boolean isInt(String v) {
        return v.matches("\\d{1,9}");
    }

    private static boolean between(String v, double min, double max) {
        try {
            double d = Double.parseDouble(v);
            return d >= min && d <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
