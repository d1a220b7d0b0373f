package com.rva.recognition;

/**
 * The inner loop of every gallery search: dot products of a float query with packed rows. Two
 * implementations give the same results (to float rounding): {@link Vectors#SCALAR} and the JDK Vector API
 * one ({@code VectorApiKernel}), chosen once per JVM by {@link Vectors#kernel()}.
 */
public interface DotKernel {

    /** Dot product of {@code q} with {@code data[offset .. offset + q.length)}. */
    float dot(float[] q, float[] data, int offset);

    /** Dot product of {@code q} with the signed bytes {@code data[offset .. offset + q.length)}. */
    float dot(float[] q, byte[] data, int offset);

    /** A short name for logs and benchmarks, e.g. {@code vector-api/512} or {@code scalar}. */
    String name();
}
