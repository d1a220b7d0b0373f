package com.rva.recognition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate {@link Gallery}: a Lucene HNSW graph per model version over int8-quantised templates.
 * <p>
 * Memory: a 512-d template is 512 bytes plus a float scale (quantised per vector: {@code x ≈ scale · q},
 * {@code q ∈ [-127, 127]}) plus its graph links, instead of 2 KiB of floats. A search walks the graph with the
 * float query against the int8 rows (the scale makes it the dot product with the dequantised template) and
 * returns the best of {@code efSearch} candidates. Removed templates are masked (HNSW cannot unlink a node) and
 * the graph is rebuilt from the live rows once a quarter of it is masked. Adds and removes wait for searches
 * (read/write lock); one add costs one graph insertion (≈ a search with {@code beamWidth} candidates).
 */
public final class HnswGallery implements Gallery {

    private static final Logger LOG = Logger.getLogger(HnswGallery.class.getName());
    private static final long NO_TEMPLATE_ID = Long.MIN_VALUE;
    private static final long SEED = 42;

    /**
     * @param maxConn HNSW {@code M}: links per node (twice that on the bottom layer)
     * @param beamWidth candidates considered when inserting a node
     * @param efSearch candidates kept while searching; the best of them is the answer
     */
    public record Settings(int maxConn, int beamWidth, int efSearch) {
        public static final Settings DEFAULT = new Settings(16, 100, 64);

        public Settings {
            if (maxConn < 2 || beamWidth < 1 || efSearch < 1) {
                throw new IllegalArgumentException("Invalid HNSW settings: " + maxConn + ", " + beamWidth + ", " + efSearch);
            }
        }
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Shard> shards = new HashMap<>();
    private final Settings settings;
    private final DotKernel kernel;
    private int size;

    public HnswGallery() {
        this(Settings.DEFAULT, Vectors.kernel());
    }

    public HnswGallery(Settings settings, DotKernel kernel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    @Override
    public Optional<Match> bestMatch(float[] query, String modelVersion) {
        Objects.requireNonNull(query, "query");
        lock.readLock().lock();
        try {
            Shard shard = shards.get(modelVersion);
            return shard == null ? Optional.empty() : shard.bestMatch(query);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void add(long customerId, Long templateId, float[] vector, String modelVersion) {
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(modelVersion, "modelVersion");
        lock.writeLock().lock();
        try {
            Shard shard = shards.computeIfAbsent(modelVersion, v -> new Shard(vector.length));
            shard.append(customerId, templateId == null ? NO_TEMPLATE_ID : templateId, vector, modelVersion);
            shard.indexPending();
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Adds many templates at once: they are quantised now and linked into the graph by {@link #finishBulk()}
     * (holding the write lock once, not once per template). Until then a search does not see them.
     */
    public void addForBulk(long customerId, Long templateId, float[] vector, String modelVersion) {
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(modelVersion, "modelVersion");
        lock.writeLock().lock();
        try {
            shards.computeIfAbsent(modelVersion, v -> new Shard(vector.length))
                    .append(customerId, templateId == null ? NO_TEMPLATE_ID : templateId, vector, modelVersion);
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Links every template added with {@link #addForBulk} into the graphs. */
    public void finishBulk() {
        lock.writeLock().lock();
        try {
            for (Shard shard : shards.values()) {
                shard.indexPending();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long templateId) {
        lock.writeLock().lock();
        try {
            for (Shard shard : shards.values()) {
                if (shard.remove(templateId)) {
                    size--;
                    return true;
                }
            }
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Bytes this gallery holds: quantised rows, scales, ids, the template-id map (estimated at 64 bytes an
     * entry, what a boxed {@code HashMap} entry costs) and the graphs' own accounting.
     */
    public long ramBytesUsed() {
        lock.readLock().lock();
        try {
            long bytes = 0;
            for (Shard shard : shards.values()) {
                bytes += shard.ramBytesUsed();
            }
            return bytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The templates of one model version, int8 rows, and the graph linking them. */
    private final class Shard {
        private final int dimension;
        private byte[] codes;
        private float[] scales;
        private long[] customers;
        private long[] templates;
        private final BitSet removed = new BitSet();
        private final Map<Long, Integer> ordByTemplate = new HashMap<>();
        /** Rows 0 .. count-1; rows indexed .. count-1 are not linked into the graph yet. */
        private int count;
        private int indexed;
        private int removedCount;
        private HnswGraphBuilder builder;

        Shard(int dimension) {
            if (dimension < 1) {
                throw new IllegalArgumentException("An embedding needs at least one dimension");
            }
            this.dimension = dimension;
            allocate(16);
        }

        private void allocate(int capacity) {
            codes = new byte[capacity * dimension];
            scales = new float[capacity];
            customers = new long[capacity];
            templates = new long[capacity];
        }

        void append(long customerId, long templateId, float[] vector, String modelVersion) {
            if (vector.length != dimension) {
                throw new IllegalArgumentException("Templates of model " + modelVersion + " have " + dimension
                        + " dimensions, not " + vector.length);
            }
            if (count == scales.length) {
                int capacity = (int) Math.min((long) scales.length * 2, Integer.MAX_VALUE / dimension);
                if (capacity <= count) {
                    throw new IllegalStateException("The gallery of model " + modelVersion + " is full (" + count + ")");
                }
                codes = Arrays.copyOf(codes, capacity * dimension);
                scales = Arrays.copyOf(scales, capacity);
                customers = Arrays.copyOf(customers, capacity);
                templates = Arrays.copyOf(templates, capacity);
            }
            scales[count] = quantise(vector, codes, count * dimension);
            customers[count] = customerId;
            templates[count] = templateId;
            if (templateId != NO_TEMPLATE_ID) {
                Integer previous = ordByTemplate.put(templateId, count);
                if (previous != null) {
                    // the same template again (e.g. a moved template's new owner): the old row goes
                    markRemoved(previous);
                }
            }
            count++;
        }

        /** Links the rows not in the graph yet, one by one. */
        void indexPending() {
            if (indexed == count) {
                return;
            }
            try {
                if (builder == null) {
                    // a graph of unknown size (-1) grows with every enrolment; Lucene's concurrent builder needs a
                    // fixed size, so the graph is built on one thread
                    builder = HnswGraphBuilder.create(new Scorers(), settings.maxConn(), settings.beamWidth(), SEED, -1);
                }
                for (; indexed < count; indexed++) {
                    builder.addGraphNode(indexed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (removedCount > 1_000 && removedCount * 4L > count) {
                compact();
            }
        }

        /** Rebuilds the graph from the live rows only. */
        private void compact() {
            long start = System.nanoTime();
            byte[] oldCodes = codes;
            float[] oldScales = scales;
            long[] oldCustomers = customers;
            long[] oldTemplates = templates;
            int oldCount = count;
            int live = count - removedCount;
            allocate(Math.max(16, live));
            ordByTemplate.clear();
            int n = 0;
            for (int i = 0; i < oldCount; i++) {
                if (!removed.get(i)) {
                    System.arraycopy(oldCodes, i * dimension, codes, n * dimension, dimension);
                    scales[n] = oldScales[i];
                    customers[n] = oldCustomers[i];
                    templates[n] = oldTemplates[i];
                    if (oldTemplates[i] != NO_TEMPLATE_ID) {
                        ordByTemplate.put(oldTemplates[i], n);
                    }
                    n++;
                }
            }
            removed.clear();
            removedCount = 0;
            count = n;
            indexed = 0;
            builder = null;
            indexPending();
            LOG.info(() -> String.format("HNSW gallery compacted: %d live of %d rows, rebuilt in %d ms", live, oldCount,
                    (System.nanoTime() - start) / 1_000_000));
        }

        boolean remove(long templateId) {
            Integer ord = ordByTemplate.remove(templateId);
            if (ord == null) {
                return false;
            }
            markRemoved(ord);
            return true;
        }

        private void markRemoved(int ord) {
            if (!removed.get(ord)) {
                removed.set(ord);
                removedCount++;
            }
        }

        Optional<Match> bestMatch(float[] query) {
            if (query.length != dimension) {
                throw new IllegalArgumentException("The query has " + query.length + " dimensions; this model's "
                        + "templates have " + dimension);
            }
            if (indexed - removedCount <= 0 || builder == null) {
                return Optional.empty();
            }
            TopDocs top;
            try {
                top = HnswGraphSearcher.search(new QueryScorer(query), settings.efSearch(), builder.getGraph(),
                        new Live(), Integer.MAX_VALUE).topDocs();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            // topDocs is sorted best first; the similarity is recomputed exactly as the scorer does
            int best = top.scoreDocs[0].doc;
            float similarity = similarity(query, best);
            long templateId = templates[best];
            return Optional.of(new Match(customers[best], templateId == NO_TEMPLATE_ID ? null : templateId, similarity));
        }

        float similarity(float[] query, int ord) {
            return scales[ord] * kernel.dot(query, codes, ord * dimension);
        }

        long ramBytesUsed() {
            long rows = (long) scales.length * (dimension + Float.BYTES + 2 * Long.BYTES);
            long graph = builder == null ? 0 : builder.getGraph().ramBytesUsed();
            return rows + graph + ordByTemplate.size() * 64L + removed.size() / 8;
        }

        /** Lucene wants a score that grows with similarity and is not negative. */
        private float score(float[] query, int ord) {
            return (1 + similarity(query, ord)) / 2;
        }

        private final class QueryScorer implements RandomVectorScorer {
            private final float[] query;

            QueryScorer(float[] query) {
                this.query = query;
            }

            @Override
            public float score(int node) {
                return Shard.this.score(query, node);
            }

            @Override
            public int maxOrd() {
                return indexed;
            }
        }

        private final class Live implements Bits {
            @Override
            public boolean get(int index) {
                return !removed.get(index);
            }

            @Override
            public int length() {
                return indexed;
            }
        }

        /** Scorers between rows, for building the graph (each dequantises its row once). */
        private final class Scorers implements RandomVectorScorerSupplier {
            @Override
            public RandomVectorScorer scorer(int ord) {
                float[] row = new float[dimension];
                float scale = scales[ord];
                for (int i = 0, o = ord * dimension; i < dimension; i++) {
                    row[i] = codes[o + i] * scale;
                }
                return new RandomVectorScorer() {
                    @Override
                    public float score(int node) {
                        return Shard.this.score(row, node);
                    }

                    @Override
                    public int maxOrd() {
                        return count;
                    }
                };
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return new Scorers();
            }
        }
    }

    /**
     * Quantises {@code v} into {@code out[offset ..]} with one scale for the whole vector; returns the scale.
     * Symmetric: {@code v[i] ≈ scale · out[offset + i]}, the largest magnitude maps to ±127.
     */
    static float quantise(float[] v, byte[] out, int offset) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0 || !Float.isFinite(max)) {
            throw new IllegalArgumentException("Cannot quantise a vector of largest magnitude " + max);
        }
        float scale = max / 127f;
        for (int i = 0; i < v.length; i++) {
            out[offset + i] = (byte) Math.round(v[i] / scale);
        }
        return scale;
    }
}
