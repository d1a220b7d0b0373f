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

    /**
     * Dot product of the signed bytes {@code a[aOffset .. aOffset + length)} and {@code b[bOffset .. bOffset + length)},
     * exact in {@code int} (|a·b| ≤ 127² · length). Rows of an int8 index compared with each other.
     */
    int dot(byte[] a, int aOffset, byte[] b, int bOffset, int length);

    /** A short name for logs and benchmarks, e.g. {@code vector-api/512} or {@code scalar}. */
    String name();
}
