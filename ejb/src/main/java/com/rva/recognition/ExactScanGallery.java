package com.rva.recognition;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * {@link Gallery} that compares the query with every template of its model version: exact, and fast
 * enough for the galleries of a chain's stores (a 512-d dot product per template, templates packed in one
 * float array per model version). Cosine similarity is the dot product because all vectors are
 * L2-normalised. The dot products run on the JDK Vector API when the JVM has it ({@link Vectors#kernel()}), else
 * in plain Java. Many searches run in parallel; an add waits for them (read/write lock, {@link ShardedGallery}).
 */
public final class ExactScanGallery extends ShardedGallery<ExactScanGallery.Shard> {

    /** From this many templates of one model version a search splits the scan over the cores. */
    public static final int DEFAULT_PARALLEL_FROM = 50_000;

    private final int parallelFrom;
    private final DotKernel kernel;

    public ExactScanGallery() {
        this(DEFAULT_PARALLEL_FROM);
    }

    /** @param parallelFrom shards with at least this many templates are scanned by several threads */
    public ExactScanGallery(int parallelFrom) {
        this(parallelFrom, Vectors.kernel());
    }

    /**
     * @param parallelFrom shards with at least this many templates are scanned by several threads
     * @param kernel the dot products ({@link Vectors#kernel()}: the JDK Vector API when the JVM has it)
     */
    public ExactScanGallery(int parallelFrom, DotKernel kernel) {
        if (parallelFrom < 1) {
            throw new IllegalArgumentException("parallelFrom must be positive: " + parallelFrom);
        }
        this.parallelFrom = parallelFrom;
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /** The dot-product kernel this gallery scans with. */
    public DotKernel kernel() {
        return kernel;
    }

    @Override
    public Optional<Match> bestMatch(float[] query, String modelVersion) {
        Objects.requireNonNull(query, "query");
        return search(modelVersion, shard -> shard.bestMatch(query, parallelFrom));
    }

    @Override
    public void add(long customerId, Long templateId, float[] vector, String modelVersion) {
        Objects.requireNonNull(vector, "vector");
        lock.writeLock().lock();
        try {
            shard(modelVersion, v -> new Shard(vector.length, kernel))
                    .add(customerId, templateId == null ? NO_TEMPLATE_ID : templateId, vector, modelVersion);
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of templates of one model version. */
    public int size(String modelVersion) {
        lock.readLock().lock();
        try {
            Shard shard = shards.get(modelVersion);
            return shard == null ? 0 : shard.count;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** One template as the gallery holds it (a copy of its vector). */
    public record Row(long customerId, Long templateId, float[] vector, String modelVersion) {
    }

    /** Every template, all model versions (a snapshot; the vectors are copies). */
    public java.util.List<Row> rows() {
        lock.readLock().lock();
        try {
            java.util.List<Row> rows = new java.util.ArrayList<>(size);
            shards.forEach((version, shard) -> {
                for (int i = 0; i < shard.count; i++) {
                    long t = shard.templates[i];
                    rows.add(new Row(shard.customers[i], t == NO_TEMPLATE_ID ? null : t,
                            Arrays.copyOfRange(shard.vectors, i * shard.dimension, (i + 1) * shard.dimension), version));
                }
            });
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of the packed rows (floats and ids, capacity included). */
    public long ramBytesUsed() {
        lock.readLock().lock();
        try {
            long bytes = 0;
            for (Shard shard : shards.values()) {
                bytes += (long) shard.customers.length * (shard.dimension * Float.BYTES + 2 * Long.BYTES);
            }
            return bytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The templates of one model version, packed row after row. */
    static final class Shard implements ShardedGallery.Shard {
        private final int dimension;
        private final DotKernel kernel;
        private float[] vectors;
        private long[] customers;
        private long[] templates;
        private int count;

        Shard(int dimension, DotKernel kernel) {
            if (dimension < 1) {
                throw new IllegalArgumentException("An embedding needs at least one dimension");
            }
            this.dimension = dimension;
            this.kernel = kernel;
            this.vectors = new float[16 * dimension];
            this.customers = new long[16];
            this.templates = new long[16];
        }

        void add(long customerId, long templateId, float[] vector, String modelVersion) {
            if (vector.length != dimension) {
                throw new IllegalArgumentException("Templates of model " + modelVersion + " have " + dimension
                        + " dimensions, not " + vector.length);
            }
            if (count == customers.length) {
                int capacity = customers.length * 2;
                vectors = Arrays.copyOf(vectors, capacity * dimension);
                customers = Arrays.copyOf(customers, capacity);
                templates = Arrays.copyOf(templates, capacity);
            }
            System.arraycopy(vector, 0, vectors, count * dimension, dimension);
            customers[count] = customerId;
            templates[count] = templateId;
            count++;
        }

        /** Moves the last row into the removed one's place. */
        @Override
        public boolean remove(long templateId) {
            for (int i = 0; i < count; i++) {
                if (templates[i] == templateId) {
                    int last = count - 1;
                    System.arraycopy(vectors, last * dimension, vectors, i * dimension, dimension);
                    customers[i] = customers[last];
                    templates[i] = templates[last];
                    count--;
                    return true;
                }
            }
            return false;
        }

        Optional<Match> bestMatch(float[] query, int parallelFrom) {
            if (query.length != dimension) {
                throw new IllegalArgumentException("The query has " + query.length + " dimensions; this model's "
                        + "templates have " + dimension);
            }
            if (count == 0) {
                return Optional.empty();
            }
            int threads = Runtime.getRuntime().availableProcessors();
            long found;
            if (count >= parallelFrom && threads > 1) {
                // one slice per core; the lowest index wins a tie, exactly as the sequential scan
                int slices = Math.min(threads, count);
                int n = count;
                found = IntStream.range(0, slices).parallel()
                        .mapToLong(p -> scan(query, (int) ((long) n * p / slices), (int) ((long) n * (p + 1) / slices)))
                        .reduce(Shard::better).getAsLong();
            } else {
                found = scan(query, 0, count);
            }
            int best = (int) (found & 0xFFFF_FFFFL);
            float bestSimilarity = Float.intBitsToFloat((int) (found >>> 32));
            long templateId = templates[best];
            return Optional.of(new Match(customers[best], templateId == NO_TEMPLATE_ID ? null : templateId,
                    bestSimilarity));
        }

        /** The best row in [from, to), packed as (similarity bits, index). */
        private long scan(float[] query, int from, int to) {
            int best = from;
            float bestSimilarity = Float.NEGATIVE_INFINITY;
            for (int i = from, offset = from * dimension; i < to; i++, offset += dimension) {
                float s = kernel.dot(query, vectors, offset);
                if (s > bestSimilarity) {
                    bestSimilarity = s;
                    best = i;
                }
            }
            return ((long) Float.floatToRawIntBits(bestSimilarity) << 32) | (best & 0xFFFF_FFFFL);
        }

        private static long better(long a, long b) {
            float sa = Float.intBitsToFloat((int) (a >>> 32));
            float sb = Float.intBitsToFloat((int) (b >>> 32));
            if (sa != sb) {
                return sa > sb ? a : b;
            }
            return (int) a <= (int) b ? a : b;
        }
    }
}
