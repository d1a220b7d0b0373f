package com.rva.recognition;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DotKernel} on the CPU's SIMD lanes through the JDK Vector API ({@code jdk.incubator.vector}, an
 * incubator module on JDK 17: the JVM must be started with {@code --add-modules jdk.incubator.vector}).
 * Only ever loaded by {@link Vectors#kernel()} after it found the module, so a JVM without it never links
 * this class.
 */
final class VectorApiKernel implements DotKernel {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** As many bytes as {@link #FLOATS} has lanes: one byte widens to one float lane. */
    private static final VectorSpecies<Byte> BYTES = FLOATS.length() == 16 ? ByteVector.SPECIES_128
            : FLOATS.length() == 8 ? ByteVector.SPECIES_64 : null;
    /**
     * int8 × int8: each byte widens straight to an int lane (one conversion; on JDK 17 the two-step byte → short →
     * int widening measured slower, its second half not intrinsified). Bytes: as many lanes as the ints have.
     */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> INT_BYTES = INTS.length() == 16 ? ByteVector.SPECIES_128
            : INTS.length() == 8 ? ByteVector.SPECIES_64 : null;

    @Override
    public float dot(float[] q, float[] data, int offset) {
        int n = q.length;
        if (offset < 0 || offset + n > data.length) {
            throw new IndexOutOfBoundsException("row at " + offset + " of length " + n + " outside " + data.length);
        }
        int step = FLOATS.length();
        int bound = FLOATS.loopBound(n);
        // two accumulators: the next fused multiply-add need not wait for the previous one
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = FloatVector.zero(FLOATS);
        int i = 0;
        for (; i + step < bound; i += 2 * step) {
            acc0 = FloatVector.fromArray(FLOATS, q, i).fma(FloatVector.fromArray(FLOATS, data, offset + i), acc0);
            acc1 = FloatVector.fromArray(FLOATS, q, i + step)
                    .fma(FloatVector.fromArray(FLOATS, data, offset + i + step), acc1);
        }
        for (; i < bound; i += step) {
            acc0 = FloatVector.fromArray(FLOATS, q, i).fma(FloatVector.fromArray(FLOATS, data, offset + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += q[i] * data[offset + i];
        }
        return sum;
    }

    @Override
    public float dot(float[] q, byte[] data, int offset) {
        int n = q.length;
        if (offset < 0 || offset + n > data.length) {
            throw new IndexOutOfBoundsException("row at " + offset + " of length " + n + " outside " + data.length);
        }
        if (BYTES == null) {
            return Vectors.SCALAR.dot(q, data, offset);
        }
        int step = FLOATS.length();
        int bound = FLOATS.loopBound(n);
        FloatVector acc = FloatVector.zero(FLOATS);
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector b = (FloatVector) ByteVector.fromArray(BYTES, data, offset + i)
                    .convertShape(VectorOperators.B2F, FLOATS, 0);
            acc = FloatVector.fromArray(FLOATS, q, i).fma(b, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += q[i] * data[offset + i];
        }
        return sum;
    }

    @Override
    public int dot(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
        if (aOffset < 0 || aOffset + length > a.length || bOffset < 0 || bOffset + length > b.length) {
            throw new IndexOutOfBoundsException("rows at " + aOffset + " and " + bOffset + " of length " + length
                    + " outside " + a.length + " / " + b.length);
        }
        if (INT_BYTES == null) {
            return Vectors.SCALAR.dot(a, aOffset, b, bOffset, length);
        }
        int step = INT_BYTES.length();
        int bound = INT_BYTES.loopBound(length);
        IntVector acc = IntVector.zero(INTS);
        int i = 0;
        for (; i < bound; i += step) {
            IntVector x = (IntVector) ByteVector.fromArray(INT_BYTES, a, aOffset + i)
                    .convertShape(VectorOperators.B2I, INTS, 0);
            IntVector y = (IntVector) ByteVector.fromArray(INT_BYTES, b, bOffset + i)
                    .convertShape(VectorOperators.B2I, INTS, 0);
            acc = acc.add(x.mul(y));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector-api/" + FLOATS.vectorBitSize();
    }
}
