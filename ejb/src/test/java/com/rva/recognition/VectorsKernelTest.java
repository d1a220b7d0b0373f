package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Vector API kernel against the scalar one (this module's tests run with --add-modules jdk.incubator.vector). */
class VectorsKernelTest {

    private final DotKernel vector = Vectors.vectorApiKernel()
            .orElseThrow(() -> new AssertionError("the tests run with --add-modules jdk.incubator.vector (ejb/pom.xml)"));

    @Test
    void theProductUsesTheVectorApiWhenTheJvmHasIt() {
        assertNotSame(Vectors.SCALAR, Vectors.kernel());
        assertTrue(Vectors.kernel().name().startsWith("vector-api/"), Vectors.kernel().name());
    }

    @Test
    void floatDotProductsAgreeWithTheScalarKernelForEveryLengthAndOffset() {
        Random random = new Random(3);
        for (int n = 1; n <= 70; n++) {
            float[] q = randomUnit(random, n);
            float[] data = new float[5 * n + 3];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            for (int offset : new int[] {0, 1, 3, 4 * n + 3}) {
                float expected = Vectors.SCALAR.dot(q, data, offset);
                assertEquals(expected, vector.dot(q, data, offset), 1e-5f * (1 + Math.abs(expected)),
                        "length " + n + " offset " + offset);
            }
        }
        float[] q512 = randomUnit(random, 512);
        float[] t512 = randomUnit(random, 512);
        assertEquals(Vectors.SCALAR.dot(q512, t512, 0), vector.dot(q512, t512, 0), 1e-5f);
    }

    @Test
    void byteDotProductsAgreeWithTheScalarKernel() {
        Random random = new Random(5);
        for (int n : new int[] {1, 7, 8, 15, 16, 17, 31, 64, 100, 512}) {
            float[] q = randomUnit(random, n);
            byte[] data = new byte[3 * n];
            random.nextBytes(data);
            for (int offset : new int[] {0, n, 2 * n}) {
                float expected = Vectors.SCALAR.dot(q, data, offset);
                assertEquals(expected, vector.dot(q, data, offset), 1e-4f * (1 + Math.abs(expected)),
                        "length " + n + " offset " + offset);
            }
        }
    }

    @Test
    void int8DotProductsAreExactInBothKernels() {
        Random random = new Random(6);
        for (int n : new int[] {1, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 512}) {
            byte[] data = new byte[3 * n + 5];
            random.nextBytes(data);
            data[0] = Byte.MIN_VALUE;
            for (int a : new int[] {0, n, 2 * n + 5}) {
                for (int b : new int[] {0, 3, n + 1}) {
                    long expected = 0;
                    for (int i = 0; i < n; i++) {
                        expected += data[a + i] * data[b + i];
                    }
                    assertEquals(expected, Vectors.SCALAR.dot(data, a, data, b, n), "scalar, length " + n);
                    assertEquals(expected, vector.dot(data, a, data, b, n), "vector, length " + n + " at " + a + "/" + b);
                }
            }
        }
        byte[] max = new byte[512];
        java.util.Arrays.fill(max, (byte) -127);
        assertEquals(127 * 127 * 512, vector.dot(max, 0, max, 0, 512), "no short overflow on the largest products");
    }

    @Test
    void aRowPastTheEndIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> vector.dot(new byte[6], 3, new byte[6], 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> vector.dot(new float[4], new float[6], 3));
        assertThrows(IndexOutOfBoundsException.class, () -> vector.dot(new float[4], new byte[6], 3));
    }

    @Test
    void vectorAndScalarGalleriesFindTheSameTemplates() {
        ExactScanGallery scalar = new ExactScanGallery(1_000, Vectors.SCALAR);
        ExactScanGallery simd = new ExactScanGallery(1_000, vector);
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            float[] v = randomUnit(random, 512);
            scalar.add(i, (long) i, v, "m1");
            simd.add(i, (long) i, v, "m1");
        }
        for (int q = 0; q < 100; q++) {
            float[] query = randomUnit(random, 512);
            Match a = scalar.bestMatch(query, "m1").orElseThrow();
            Match b = simd.bestMatch(query, "m1").orElseThrow();
            assertEquals(a.similarity(), b.similarity(), 1e-5f);
            // a different template only on a tie within rounding
            if (a.customerId() != b.customerId()) {
                assertEquals(a.similarity(), b.similarity(), 1e-6f, "query " + q);
            }
        }
    }

    static float[] randomUnit(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }
}
