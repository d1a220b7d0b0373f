package com.rva.recognition;

/** Small vector helpers shared by embedders and galleries. */
public final class Vectors {

    private Vectors() {
    }

    /** Dot product; for L2-normalised vectors this is the cosine similarity. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors differ in length: " + a.length + " vs " + b.length);
        }
        return dot(a, b, 0);
    }

    /** Dot product of {@code q} with the slice of {@code data} that starts at {@code offset}. */
    static float dot(float[] q, float[] data, int offset) {
        // four accumulators let the JIT keep several multiply-adds in flight
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += q[i] * data[offset + i];
            s1 += q[i + 1] * data[offset + i + 1];
            s2 += q[i + 2] * data[offset + i + 2];
            s3 += q[i + 3] * data[offset + i + 3];
        }
        for (; i < n; i++) {
            s0 += q[i] * data[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Returns {@code v} scaled to unit length (a new array).
     *
     * @throws IllegalArgumentException when {@code v} is zero or not finite
     */
    public static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("Cannot normalise a vector of norm " + norm);
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
