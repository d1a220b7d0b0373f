package com.rva.recognition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * Finds customers that are one person, by agglomerative clustering with <em>average linkage</em> over their
 * template sets: repeatedly merge the two clusters whose average pairwise template similarity exceeds the
 * {@link MergeRule} bar by the widest margin, until no pair reaches it. The nightly identity-consolidation
 * job and {@code ./rva eval} both use this class, so the evaluation measures what the product does.
 * <p>
 * Cost: one dot product per template pair to start ({@code O(T²·d)}), then {@code O(C²)} per merge over the
 * {@code C} customers; memory {@code O(C²)}. Fine for thousands of customers; a larger gallery needs
 * candidate pairs from the gallery's nearest neighbours first (not done yet).
 */
public final class Consolidation {

    /**
     * One merge: {@code absorbed} becomes part of {@code survivor}.
     *
     * @param survivor   the customer kept (the lowest id of its cluster: the first enrolled)
     * @param absorbed   the customer merged into it (the lowest id of the other cluster)
     * @param similarity the average pairwise template similarity of the two clusters
     * @param threshold  the bar it had to reach for clusters of these sizes
     */
    public record Merge(long survivor, long absorbed, double similarity, double threshold) {
    }

    private Consolidation() {
    }

    /** The merges, in the order they were decided; a later merge may name an earlier survivor. */
    public static List<Merge> plan(List<TemplateSet> customers, MergeRule rule) {
        return plan(customers, rule, Set.of());
    }

    /**
     * The merges, never putting two customers of one {@code keepApart} pair into one cluster (an admin undid
     * their merge: they are two people).
     *
     * @param keepApart pairs of customer ids, each as a two-element set
     */
    public static List<Merge> plan(List<TemplateSet> customers, MergeRule rule, Set<Set<Long>> keepApart) {
        Objects.requireNonNull(rule, "rule");
        int c = customers.size();
        double[][] sum = new double[c][c];
        int[] size = new int[c];
        long[] representative = new long[c];
        boolean[] alive = new boolean[c];
        List<Set<Long>> members = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            members.add(new HashSet<>(Set.of(customers.get(i).customerId())));
            size[i] = customers.get(i).vectors().size();
            representative[i] = customers.get(i).customerId();
            alive[i] = true;
        }
        for (int i = 0; i < c; i++) {
            for (int j = i + 1; j < c; j++) {
                double s = 0;
                for (float[] a : customers.get(i).vectors()) {
                    for (float[] b : customers.get(j).vectors()) {
                        s += Vectors.dot(a, b);
                    }
                }
                sum[i][j] = s;
                sum[j][i] = s;
            }
        }
        List<Merge> merges = new ArrayList<>();
        while (true) {
            int bi = -1;
            int bj = -1;
            double bestMargin = 0;
            double bestAverage = 0;
            double bestThreshold = 0;
            for (int i = 0; i < c; i++) {
                if (!alive[i]) {
                    continue;
                }
                for (int j = i + 1; j < c; j++) {
                    if (!alive[j]) {
                        continue;
                    }
                    double average = sum[i][j] / ((double) size[i] * size[j]);
                    double threshold = rule.threshold(size[i], size[j]);
                    double margin = average - threshold;
                    if (margin >= 0 && (bi < 0 || margin > bestMargin) && !apart(members.get(i), members.get(j), keepApart)) {
                        bi = i;
                        bj = j;
                        bestMargin = margin;
                        bestAverage = average;
                        bestThreshold = threshold;
                    }
                }
            }
            if (bi < 0) {
                return merges;
            }
            int keep = representative[bi] <= representative[bj] ? bi : bj;
            int drop = keep == bi ? bj : bi;
            merges.add(new Merge(representative[keep], representative[drop], bestAverage, bestThreshold));
            for (int k = 0; k < c; k++) {
                if (alive[k] && k != keep && k != drop) {
                    sum[keep][k] += sum[drop][k];
                    sum[k][keep] = sum[keep][k];
                }
            }
            size[keep] += size[drop];
            members.get(keep).addAll(members.get(drop));
            alive[drop] = false;
        }
    }

    private static boolean apart(Set<Long> a, Set<Long> b, Set<Set<Long>> keepApart) {
        for (Set<Long> pair : keepApart) {
            Long[] p = pair.toArray(new Long[0]);
            if (p.length == 2 && (a.contains(p[0]) && b.contains(p[1]) || a.contains(p[1]) && b.contains(p[0]))) {
                return true;
            }
        }
        return false;
    }
}
