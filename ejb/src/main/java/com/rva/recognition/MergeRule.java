package com.rva.recognition;

/**
 * When two customers' template sets are similar enough to be one person: their <em>average</em> pairwise
 * cosine similarity (average linkage) must reach {@link #threshold(int, int)}.
 * <p>
 * A single pair of templates must reach {@code pairThreshold} — the same bar as the online match, about five
 * impostor standard deviations above the impostor mean (docs/recognition.md). An average over {@code n·m}
 * pairs carries less noise, so the bar falls with {@code 1/√(n·m)}, but never below {@code floor}, which
 * lies between the highest average similarity of two different people and the lowest of one person
 * (measured on whole identities). Immutable.
 *
 * @param pairThreshold the bar for one template against one template
 * @param floor         the lowest bar, for large template sets
 */
public record MergeRule(double pairThreshold, double floor) {

    public MergeRule {
        if (!(pairThreshold > 0 && pairThreshold <= 1)) {
            throw new IllegalArgumentException("pair threshold must be in (0, 1]: " + pairThreshold);
        }
        if (!(floor > 0 && floor <= pairThreshold)) {
            throw new IllegalArgumentException("merge floor must be in (0, " + pairThreshold + "]: " + floor);
        }
    }

    /** The average similarity two template sets of {@code n} and {@code m} templates need to be merged. */
    public double threshold(int n, int m) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("template sets must not be empty: " + n + ", " + m);
        }
        return Math.max(floor, pairThreshold / Math.sqrt((double) n * m));
    }
}
