package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ConsolidationTest {

    private static final MergeRule RULE = new MergeRule(0.5, 0.27);

    @Test
    void barFallsWithTheNumberOfPairsDownToTheFloor() {
        assertEquals(0.5, RULE.threshold(1, 1), 1e-12);
        assertEquals(0.5 / Math.sqrt(2), RULE.threshold(1, 2), 1e-12);
        assertEquals(0.27, RULE.threshold(8, 8), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RULE.threshold(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MergeRule(0.5, 0.6));
    }

    @Test
    void customersOfOnePersonAreMergedIntoTheFirstEnrolledAndOthersStayApart() {
        Random random = new Random(3);
        float[] alice = randomUnit(random, 64);
        float[] bob = randomUnit(random, 64);
        List<TemplateSet> customers = List.of(
                new TemplateSet(10, List.of(near(alice, 0.9, random), near(alice, 0.9, random))),
                new TemplateSet(11, List.of(near(bob, 0.9, random))),
                new TemplateSet(12, List.of(near(alice, 0.9, random), near(alice, 0.9, random), near(alice, 0.9, random))),
                new TemplateSet(5, List.of(near(alice, 0.9, random))));
        List<Consolidation.Merge> merges = Consolidation.plan(customers, RULE);
        assertEquals(2, merges.size(), merges.toString());
        for (Consolidation.Merge m : merges) {
            assertTrue(m.similarity() >= m.threshold(), m.toString());
            assertTrue(m.absorbed() != 11 && m.survivor() != 11, "bob stays alone: " + m);
        }
        // all of alice ends up in customer 5, the lowest id
        assertEquals(5, merges.get(1).survivor(), merges.toString());
    }

    @Test
    void customersKeptApartAreNeverMergedNotEvenThroughAThird() {
        Random random = new Random(9);
        float[] alice = randomUnit(random, 64);
        List<TemplateSet> customers = List.of(new TemplateSet(1, List.of(near(alice, 0.95, random))),
                new TemplateSet(2, List.of(near(alice, 0.95, random))),
                new TemplateSet(3, List.of(near(alice, 0.95, random))));
        assertEquals(2, Consolidation.plan(customers, RULE).size());
        List<Consolidation.Merge> merges = Consolidation.plan(customers, RULE, java.util.Set.of(java.util.Set.of(1L, 2L)));
        assertEquals(1, merges.size(), merges.toString());
        assertTrue(merges.get(0).absorbed() == 3 || merges.get(0).survivor() == 3, merges.toString());
    }

    @Test
    void averageLinkageDoesNotChainThroughOneSimilarPair() {
        Random random = new Random(5);
        float[] a = randomUnit(random, 64);
        float[] b = randomUnit(random, 64);
        float[] bridge = normalised(add(a, b)); // similar to both (~0.7), the sets are not
        List<float[]> setA = new ArrayList<>();
        List<float[]> setB = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            setA.add(near(a, 0.95, random));
            setB.add(near(b, 0.95, random));
        }
        setA.add(bridge);
        List<Consolidation.Merge> merges = Consolidation.plan(List.of(new TemplateSet(1, setA), new TemplateSet(2, setB)),
                RULE);
        assertEquals(List.of(), merges);
    }

    static float[] randomUnit(Random random, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }

    /** A unit vector whose cosine with {@code centre} is about {@code cos}. */
    static float[] near(float[] centre, double cos, Random random) {
        float[] noise = randomUnit(random, centre.length);
        double w = Math.sqrt(1 - cos * cos);
        float[] v = new float[centre.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (cos * centre[i] + w * noise[i]);
        }
        return Vectors.normalised(v);
    }

    private static float[] add(float[] a, float[] b) {
        float[] v = new float[a.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }

    private static float[] normalised(float[] v) {
        return Vectors.normalised(v);
    }
}
