package com.rva.recognition;

import java.util.Optional;
import java.util.logging.Logger;

/** Small vector helpers shared by embedders and galleries. */
public final class Vectors {

    private static final Logger LOG = Logger.getLogger(Vectors.class.getName());

    /** Set this system property to {@code true} to force the scalar kernel (for comparisons). */
    public static final String DISABLE_VECTOR_API = "rva.vector-api.disabled";

    /** Plain Java loops: what runs when the JVM has no {@code jdk.incubator.vector}. */
    public static final DotKernel SCALAR = new DotKernel() {
        @Override
        public float dot(float[] q, float[] data, int offset) {
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

        @Override
        public float dot(float[] q, byte[] data, int offset) {
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

        @Override
        public int dot(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
            int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < length; i += 4) {
                s0 += a[aOffset + i] * b[bOffset + i];
                s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
                s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
                s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
            }
            for (; i < length; i++) {
                s0 += a[aOffset + i] * b[bOffset + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public String name() {
            return "scalar";
        }
    };

    private static final DotKernel KERNEL = chooseKernel();

    private Vectors() {
    }

    /**
     * The fastest kernel this JVM offers: the JDK Vector API when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (and the deployment can see that module), else {@link #SCALAR}.
     * Chosen once; the choice is logged.
     */
    public static DotKernel kernel() {
        return KERNEL;
    }

    /** The Vector API kernel, or empty when this JVM cannot run it. */
    public static Optional<DotKernel> vectorApiKernel() {
        return KERNEL == SCALAR ? loadVectorApiKernel() : Optional.of(KERNEL);
    }

    private static DotKernel chooseKernel() {
        if (Boolean.getBoolean(DISABLE_VECTOR_API)) {
            LOG.info(() -> "Gallery dot products: scalar (-D" + DISABLE_VECTOR_API + "=true)");
            return SCALAR;
        }
        DotKernel kernel = loadVectorApiKernel().orElse(SCALAR);
        if (kernel == SCALAR) {
            LOG.warning("Gallery dot products: scalar — the JDK Vector API is not available (start the JVM with "
                    + "--add-modules jdk.incubator.vector; in WildFly the deployment also needs the module dependency)");
        } else {
            LOG.info(() -> "Gallery dot products: JDK Vector API (" + kernel.name() + ")");
        }
        return kernel;
    }

    private static Optional<DotKernel> loadVectorApiKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Optional.empty();
        }
        try {
            DotKernel kernel = (DotKernel) Class.forName(Vectors.class.getPackageName() + ".VectorApiKernel")
                    .getDeclaredConstructor().newInstance();
            // run it once: a class loader that cannot see the module fails here, not in a search
            kernel.dot(new float[] {1f}, new float[] {1f}, 0);
            return Optional.of(kernel);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warning(() -> "The JDK Vector API is in the JVM but cannot be used here: " + e);
            return Optional.empty();
        }
    }

    /** Dot product; for L2-normalised vectors this is the cosine similarity. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors differ in length: " + a.length + " vs " + b.length);
        }
        return KERNEL.dot(a, b, 0);
    }

    /** Dot product of {@code q} with the slice of {@code data} that starts at {@code offset}. */
    static float dot(float[] q, float[] data, int offset) {
        return KERNEL.dot(q, data, offset);
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
