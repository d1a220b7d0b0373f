package com.rva.eval;

import java.util.SplittableRandom;

import com.rva.recognition.Vectors;

/**
 * Synthetic face templates shaped like the model's: identities with several noisy templates each, not
 * uniform noise. Every vector is rebuilt from its index and the seed, so a million need not be stored twice.
 * <ul>
 * <li>An identity's centre has a decaying spectrum (variance {@code exp(-k / 50)} on component {@code k}),
 * i.e. about 100 effective dimensions, mixed over all dimensions by a randomised Hadamard transform: two
 * identities then have a cosine of mean 0 and sd ≈ 0.1, as real impostor pairs of {@code fr_feature} do
 * (docs/recognition.md: sd 0.098–0.102).</li>
 * <li>A template is its centre plus isotropic noise whose level varies per template, so two templates of one
 * identity have a cosine of about 0.5–0.8 (real genuine pairs: median 0.46–0.71).</li>
 * </ul>
 */
final class SyntheticTemplates {

    private final int dimension;
    private final int perIdentity;
    private final long seed;
    private final float[] signs;
    /** The centre's spectrum times the random signs, per component. */
    private final float[] decay;

    /** @param dimension a power of two (the Hadamard transform), e.g. the model's 512 */
    SyntheticTemplates(int dimension, int perIdentity, long seed) {
        if (Integer.bitCount(dimension) != 1 || dimension < 8) {
            throw new IllegalArgumentException("the dimension must be a power of two ≥ 8: " + dimension);
        }
        if (perIdentity < 1) {
            throw new IllegalArgumentException("templates per identity must be positive: " + perIdentity);
        }
        this.dimension = dimension;
        this.perIdentity = perIdentity;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        signs = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            signs[i] = random.nextBoolean() ? 1f : -1f;
        }
        decay = new float[dimension];
        for (int k = 0; k < dimension; k++) {
            decay[k] = (float) Math.exp(-k / 100.0) * signs[k];
        }
    }

    int perIdentity() {
        return perIdentity;
    }

    /** The identity template {@code index} belongs to. */
    int identityOf(long index) {
        return (int) (index / perIdentity);
    }

    /** Template {@code index} (unit length). */
    float[] template(long index) {
        return sample(identityOf(index), new SplittableRandom(mix(seed, 2 * index + 1)));
    }

    /** A fresh crop of {@code identity} that is none of its templates: what a returning customer looks like. */
    float[] query(int identity, long queryIndex) {
        return sample(identity, new SplittableRandom(mix(seed ^ 0x5DEECE66DL, queryIndex)));
    }

    private float[] sample(int identity, SplittableRandom noise) {
        float[] centre = centre(identity);
        // noise per dimension 0.025–0.045 against a unit centre: genuine cosines of about 0.5–0.8
        double level = 0.025 + 0.02 * noise.nextDouble();
        float[] v = new float[dimension];
        gaussians(noise, v);
        for (int i = 0; i < dimension; i++) {
            v[i] = centre[i] + (float) (level * v[i]);
        }
        return Vectors.normalised(v);
    }

    /** The last centre made (per thread): the templates of one identity are usually asked for one after another. */
    private final ThreadLocal<Object[]> lastCentre = new ThreadLocal<>();

    float[] centre(int identity) {
        Object[] last = lastCentre.get();
        if (last != null && (Integer) last[0] == identity) {
            return (float[]) last[1];
        }
        SplittableRandom random = new SplittableRandom(mix(seed, -2L * identity - 2));
        float[] v = new float[dimension];
        gaussians(random, v);
        for (int k = 0; k < dimension; k++) {
            v[k] = v[k] * decay[k];
        }
        hadamard(v);
        float[] centre = Vectors.normalised(v);
        lastCentre.set(new Object[] {identity, centre});
        return centre;
    }

    /** Fills {@code out} with standard normal samples, both of each Marsaglia pair (a million templates need ~10⁹). */
    private static void gaussians(SplittableRandom random, float[] out) {
        int i = 0;
        while (i < out.length) {
            double u = 2 * random.nextDouble() - 1;
            double w = 2 * random.nextDouble() - 1;
            double s = u * u + w * w;
            if (s > 0 && s < 1) {
                double f = Math.sqrt(-2 * Math.log(s) / s);
                out[i++] = (float) (u * f);
                if (i < out.length) {
                    out[i++] = (float) (w * f);
                }
            }
        }
    }

    /** In-place fast Walsh–Hadamard transform (unnormalised: the caller normalises). */
    private static void hadamard(float[] v) {
        for (int h = 1; h < v.length; h *= 2) {
            for (int i = 0; i < v.length; i += 2 * h) {
                for (int j = i; j < i + h; j++) {
                    float a = v[j];
                    float b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
