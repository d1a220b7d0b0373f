package com.rva.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BCubed precision, recall and F1 of a clustering against the truth (Bagga &amp; Baldwin): for each item,
 * precision is the share of its cluster that has its label, recall the share of its label that is in its
 * cluster; both are averaged over items.
 */
public record BCubed(double precision, double recall) {

    public double f1() {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** @param labels the true label of each item; {@code clusters} the cluster of each item, same order */
    public static <L, C> BCubed score(List<L> labels, List<C> clusters) {
        if (labels.size() != clusters.size()) {
            throw new IllegalArgumentException(labels.size() + " labels but " + clusters.size() + " clusters");
        }
        int n = labels.size();
        if (n == 0) {
            throw new IllegalArgumentException("nothing to score");
        }
        Map<C, Integer> clusterSize = new HashMap<>();
        Map<L, Integer> labelSize = new HashMap<>();
        Map<Map.Entry<L, C>, Integer> both = new HashMap<>();
        for (int i = 0; i < n; i++) {
            L l = Objects.requireNonNull(labels.get(i));
            C c = Objects.requireNonNull(clusters.get(i));
            clusterSize.merge(c, 1, Integer::sum);
            labelSize.merge(l, 1, Integer::sum);
            both.merge(Map.entry(l, c), 1, Integer::sum);
        }
        double p = 0;
        double r = 0;
        for (int i = 0; i < n; i++) {
            int common = both.get(Map.entry(labels.get(i), clusters.get(i)));
            p += (double) common / clusterSize.get(clusters.get(i));
            r += (double) common / labelSize.get(labels.get(i));
        }
        return new BCubed(p / n, r / n);
    }
}
