package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class ExactScanGalleryTest {

    private final ExactScanGallery gallery = new ExactScanGallery();

    @Test
    void emptyGalleryHasNoMatch() {
        assertTrue(gallery.bestMatch(unit(1, 0, 0), "m1").isEmpty());
        assertEquals(0, gallery.size());
    }

    @Test
    void findsTheMostSimilarTemplateWithItsCosine() {
        gallery.add(1, 11L, unit(1, 0, 0), "m1");
        gallery.add(2, 22L, unit(0, 1, 0), "m1");
        gallery.add(3, null, unit(1, 1, 0), "m1");

        Match m = gallery.bestMatch(unit(0.9f, 0.1f, 0), "m1").orElseThrow();
        assertEquals(1, m.customerId());
        assertEquals(11L, m.templateId());
        assertEquals(Vectors.dot(unit(0.9f, 0.1f, 0), unit(1, 0, 0)), m.similarity(), 1e-6);

        Match diagonal = gallery.bestMatch(unit(1, 1, 0.01f), "m1").orElseThrow();
        assertEquals(3, diagonal.customerId());
        assertNull(diagonal.templateId());
        assertEquals(3, gallery.size());
    }

    @Test
    void theParallelScanFindsExactlyWhatTheSequentialScanFinds() {
        ExactScanGallery sequential = new ExactScanGallery(Integer.MAX_VALUE);
        ExactScanGallery parallel = new ExactScanGallery(1_000);
        Random random = new Random(11);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            float[] v = randomUnit(random, 32);
            rows.add(v);
            sequential.add(i, (long) i, v, "m1");
            parallel.add(i, (long) i, v, "m1");
        }
        // a copy of row 17 at the end of the shard: the tie goes to the lower row in both
        sequential.add(99_999, 99_999L, rows.get(17), "m1");
        parallel.add(99_999, 99_999L, rows.get(17), "m1");
        assertEquals(17, parallel.bestMatch(rows.get(17), "m1").orElseThrow().customerId());
        assertEquals(17, sequential.bestMatch(rows.get(17), "m1").orElseThrow().customerId());
        for (int q = 0; q < 200; q++) {
            float[] query = randomUnit(random, 32);
            assertEquals(sequential.bestMatch(query, "m1"), parallel.bestMatch(query, "m1"));
        }
    }

    @Test
    void removedTemplateIsNoLongerFound() {
        gallery.add(1, 11L, unit(1, 0, 0), "m1");
        gallery.add(2, 22L, unit(0, 1, 0), "m1");
        gallery.add(3, 33L, unit(0, 0, 1), "m1");
        assertTrue(gallery.remove(11L));
        assertEquals(2, gallery.size());
        assertEquals(2, gallery.bestMatch(unit(1, 0.1f, 0), "m1").orElseThrow().customerId());
        assertEquals(3, gallery.bestMatch(unit(0, 0, 1), "m1").orElseThrow().customerId(), "the moved row still matches");
        assertTrue(!gallery.remove(11L), "already gone");
    }

    @Test
    void neverComparesTemplatesOfAnotherModelVersion() {
        gallery.add(1, 11L, unit(1, 0, 0), "m1");
        gallery.add(2, 22L, unit(0, 1, 0), "m2");
        assertEquals(1, gallery.bestMatch(unit(0, 1, 0), "m1").orElseThrow().customerId());
        assertTrue(gallery.bestMatch(unit(0, 1, 0), "m3").isEmpty());
        assertEquals(1, gallery.size("m1"));
        assertEquals(2, gallery.size());
    }

    @Test
    void refusesVectorsOfTheWrongLength() {
        gallery.add(1, 1L, unit(1, 0, 0), "m1");
        assertThrows(IllegalArgumentException.class, () -> gallery.add(2, 2L, unit(1, 0), "m1"));
        assertThrows(IllegalArgumentException.class, () -> gallery.bestMatch(unit(1, 0), "m1"));
        gallery.add(3, 3L, unit(1, 0), "m2"); // another model may have another length
    }

    @Test
    void keepsItsOwnCopyOfAddedVectors() {
        float[] v = unit(1, 0, 0);
        gallery.add(1, 1L, v, "m1");
        v[0] = -1;
        assertEquals(1f, gallery.bestMatch(unit(1, 0, 0), "m1").orElseThrow().similarity(), 1e-6);
    }

    @Test
    void searchesWhileOthersAddEveryTemplateFindable() throws Exception {
        int threads = 4;
        int perThread = 500;
        float[][][] vectors = new float[threads][perThread][];
        Random random = new Random(7);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                vectors[t][i] = randomUnit(random, 512);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        gallery.add(thread * 10_000L + i, (long) i, vectors[thread][i], "m1");
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        gallery.bestMatch(vectors[thread][i % perThread], "m1");
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, gallery.size());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i += 37) {
                Match m = gallery.bestMatch(vectors[t][i], "m1").orElseThrow();
                assertEquals(t * 10_000L + i, m.customerId());
                assertEquals(1f, m.similarity(), 1e-5);
            }
        }
    }

    private static float[] unit(float... v) {
        return Vectors.normalised(v);
    }

    private static float[] randomUnit(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }
}
