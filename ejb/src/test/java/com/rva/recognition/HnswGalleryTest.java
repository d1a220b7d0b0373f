package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import com.rva.application.settings.Setting;

class HnswGalleryTest {

    private static final int DIM = 32;

    /** Identities with noisy templates each: {@code perIdentity} rows per centre. */
    private static float[][] clustered(Random random, int identities, int perIdentity, float[][] centres) {
        float[][] rows = new float[identities * perIdentity][];
        for (int i = 0; i < identities; i++) {
            centres[i] = VectorsKernelTest.randomUnit(random, DIM);
            for (int j = 0; j < perIdentity; j++) {
                rows[i * perIdentity + j] = noisy(random, centres[i]);
            }
        }
        return rows;
    }

    private static float[] noisy(Random random, float[] centre) {
        float[] v = centre.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] += 0.08f * (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }

    @Test
    void quantisedRowsKeepTheCosineToAFewThousandths() {
        Random random = new Random(1);
        byte[] codes = new byte[512];
        for (int n = 0; n < 100; n++) {
            float[] a = VectorsKernelTest.randomUnit(random, 512);
            float[] b = VectorsKernelTest.randomUnit(random, 512);
            float scale = HnswGallery.quantise(b, codes, 0);
            assertEquals(Vectors.dot(a, b), scale * Vectors.SCALAR.dot(a, codes, 0), 3e-3f);
        }
        assertThrows(IllegalArgumentException.class, () -> HnswGallery.quantise(new float[4], new byte[4], 0));
    }

    @Test
    void findsWhatTheExactScanFindsBuiltInBulkThenGrownOneByOne() {
        Random random = new Random(2);
        int identities = 1_500;
        float[][] centres = new float[identities + 200][];
        float[][] rows = clustered(random, identities, 4, centres);
        HnswGallery ann = new HnswGallery(new HnswGallery.Settings(16, 100, 48), Vectors.kernel());
        ExactScanGallery exact = new ExactScanGallery();
        for (int i = 0; i < rows.length; i++) {
            ann.addForBulk(i / 4, (long) i, rows[i], "m1");
            exact.add(i / 4, (long) i, rows[i], "m1");
        }
        assertTrue(ann.bestMatch(rows[0], "m1").isEmpty(), "not linked before finishBulk");
        ann.finishBulk();
        // then enrolments one by one, past the size the graph was built for
        for (int i = identities; i < identities + 200; i++) {
            centres[i] = VectorsKernelTest.randomUnit(random, DIM);
            float[] v = noisy(random, centres[i]);
            ann.add(i, (long) (100_000 + i), v, "m1");
            exact.add(i, (long) (100_000 + i), v, "m1");
        }
        assertEquals(exact.size(), ann.size());
        int sameCustomer = 0;
        int queries = 400;
        for (int q = 0; q < queries; q++) {
            float[] query = noisy(random, centres[random.nextInt(centres.length)]);
            Match e = exact.bestMatch(query, "m1").orElseThrow();
            Match a = ann.bestMatch(query, "m1").orElseThrow();
            if (e.customerId() == a.customerId()) {
                sameCustomer++;
            }
            if (a.templateId() < rows.length) {
                assertEquals(Vectors.dot(query, rows[a.templateId().intValue()]), a.similarity(), 3e-3f,
                        "the similarity of what it found");
            }
        }
        assertTrue(sameCustomer >= queries * 0.97, sameCustomer + " of " + queries + " queries find the exact customer");
        // one byte a dimension, a scale, two ids, a map entry and the links (M = 16: up to 32 on the bottom layer)
        long perTemplate = ann.ramBytesUsed() / ann.size();
        assertTrue(perTemplate > DIM + 4 + 16 && perTemplate < DIM + 4 + 16 + 64 + 600, perTemplate + " bytes a template");
    }

    @Test
    void aBulkLinkedOnTwoThreadsThenGrownPastItsSizeTwiceFindsWhatTheExactScanFinds() {
        Random random = new Random(4);
        int identities = 2_000;
        int grownBy = 1_500; // the graph is copied into a larger one twice (an eighth more each time)
        float[][] centres = new float[identities + grownBy][];
        float[][] rows = clustered(random, identities, 4, centres);
        HnswGallery ann = new HnswGallery(new HnswGallery.Settings(16, 100, 48, 2), Vectors.kernel());
        ExactScanGallery exact = new ExactScanGallery();
        for (int i = 0; i < rows.length; i++) {
            ann.addForBulk(i / 4, (long) i, rows[i], "m1");
            exact.add(i / 4, (long) i, rows[i], "m1");
        }
        ann.finishBulk(); // 8,000 rows: above the size from which a bulk is linked on several threads
        for (int i = identities; i < identities + grownBy; i++) {
            centres[i] = VectorsKernelTest.randomUnit(random, DIM);
            float[] v = noisy(random, centres[i]);
            ann.add(i, (long) (100_000 + i), v, "m1");
            exact.add(i, (long) (100_000 + i), v, "m1");
        }
        assertEquals(rows.length + grownBy, ann.size());
        int sameTemplate = 0;
        int queries = 400;
        for (int q = 0; q < queries; q++) {
            // every other query asks for one of the identities enrolled after the bulk
            int identity = q % 2 == 0 ? random.nextInt(identities) : identities + random.nextInt(grownBy);
            float[] query = noisy(random, centres[identity]);
            Match e = exact.bestMatch(query, "m1").orElseThrow();
            Match a = ann.bestMatch(query, "m1").orElseThrow();
            if (e.templateId().equals(a.templateId())) {
                sameTemplate++;
            }
        }
        assertTrue(sameTemplate >= queries * 0.97, sameTemplate + " of " + queries + " queries find the exact template");
        // a template added after the copies is found (its identity has no other) and can be removed by its id
        assertEquals(100_000L + identities + 10,
                ann.bestMatch(centres[identities + 10], "m1").orElseThrow().templateId());
        assertTrue(ann.remove(100_000L + identities + 10));
        assertFalse(ann.remove(100_000L + identities + 10));
    }

    @Test
    void removedTemplatesAreNotFoundAndManyRemovalsCompactTheGraph() {
        Random random = new Random(3);
        HnswGallery ann = new HnswGallery(new HnswGallery.Settings(8, 50, 32), Vectors.kernel());
        float[][] rows = new float[6_000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = VectorsKernelTest.randomUnit(random, DIM);
            ann.add(i, (long) i, rows[i], "m1");
        }
        assertEquals(7L, ann.bestMatch(rows[7], "m1").orElseThrow().templateId());
        assertTrue(ann.remove(7));
        assertFalse(ann.remove(7), "already gone");
        assertTrue(ann.bestMatch(rows[7], "m1").orElseThrow().templateId() != 7L);
        for (int i = 8; i < 4_000; i++) {
            assertTrue(ann.remove(i));
        }
        ann.add(99_999, 99_999L, rows[5_000], "m1"); // an add after many removals rebuilds from the live rows
        assertEquals(6_000 - 3_993 + 1, ann.size());
        long twin = ann.bestMatch(rows[5_000], "m1").orElseThrow().templateId();
        assertTrue(twin == 5_000L || twin == 99_999L, "one of the two identical rows: " + twin);
        assertEquals(4_500L, ann.bestMatch(rows[4_500], "m1").orElseThrow().templateId());
        assertTrue(ann.bestMatch(rows[100], "m1").orElseThrow().templateId() != 100L);
    }

    @Test
    void theShippedBeamIsTheSettingsDefaultAndAWiderBeamFindsAtLeastAsSimilarATemplate() {
        assertEquals(Integer.parseInt(Setting.GALLERY_ANN_EF_SEARCH.defaultValue()),
                HnswGallery.Settings.DEFAULT.efSearch());
        assertEquals(7, HnswGallery.Settings.DEFAULT.withEfSearch(7).efSearch());
        Random random = new Random(5);
        float[][] centres = new float[1_000][];
        float[][] rows = clustered(random, centres.length, 3, centres);
        HnswGallery ann = new HnswGallery(new HnswGallery.Settings(8, 40, 16, 2), Vectors.kernel());
        for (int i = 0; i < rows.length; i++) {
            ann.addForBulk(i / 3, (long) i, rows[i], "m1");
        }
        ann.finishBulk();
        int narrowWorse = 0;
        for (int q = 0; q < 200; q++) {
            float[] query = VectorsKernelTest.randomUnit(random, DIM); // far from everything: the hardest case
            float narrow = ann.bestMatch(query, "m1", 1).orElseThrow().similarity();
            float wide = ann.bestMatch(query, "m1", 200).orElseThrow().similarity();
            assertTrue(wide >= narrow - 1e-6f, "efSearch 200 found " + wide + ", efSearch 1 " + narrow);
            if (wide > narrow) {
                narrowWorse++;
            }
        }
        assertTrue(narrowWorse > 0, "a beam of one should miss sometimes on random queries");
        assertThrows(IllegalArgumentException.class, () -> ann.bestMatch(rows[0], "m1", 0));
    }

    @Test
    void neverComparesTemplatesOfAnotherModelVersion() {
        HnswGallery ann = new HnswGallery();
        float[] v = Vectors.normalised(new float[] {1, 0, 0});
        ann.add(1, 11L, v, "m1");
        ann.add(2, 22L, Vectors.normalised(new float[] {0, 1, 0}), "m2");
        assertEquals(1, ann.bestMatch(v, "m1").orElseThrow().customerId());
        assertEquals(2, ann.bestMatch(v, "m2").orElseThrow().customerId());
        assertTrue(ann.bestMatch(v, "m3").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ann.add(3, 33L, new float[] {1, 0}, "m1"));
    }
}
