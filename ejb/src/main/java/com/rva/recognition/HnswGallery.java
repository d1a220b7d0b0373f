package com.rva.recognition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

import org.apache.lucene.internal.hppc.LongIntHashMap;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.SparseFixedBitSet;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.InitializedHnswGraphBuilder;
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
    /** A bulk of at least this many rows is linked on {@link Settings#buildThreads()} threads (Lucene hands each 2,048 at a time). */
    private static final int CONCURRENT_FROM = 4_096;

    /**
     * @param maxConn HNSW {@code M}: links per node (twice that on the bottom layer)
     * @param beamWidth candidates considered when inserting a node
     * @param efSearch candidates kept while searching; the best of them is the answer
     * @param buildThreads threads that link a bulk of templates (a start-up load, a rebuild) into the graph
     */
    public record Settings(int maxConn, int beamWidth, int efSearch, int buildThreads) {
        public static final Settings DEFAULT = new Settings(16, 100, 64);

        public Settings {
            if (maxConn < 2 || beamWidth < 1 || efSearch < 1 || buildThreads < 1) {
                throw new IllegalArgumentException("Invalid HNSW settings: " + maxConn + ", " + beamWidth + ", "
                        + efSearch + ", " + buildThreads);
            }
        }

        /** Bulk builds on every core. */
        public Settings(int maxConn, int beamWidth, int efSearch) {
            this(maxConn, beamWidth, efSearch, Runtime.getRuntime().availableProcessors());
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
     * Bytes this gallery holds: quantised rows, scales, ids (array capacity included), the template-id map and
     * the graphs' own accounting ({@code OnHeapHnswGraph.ramBytesUsed()}).
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
        /** template id → row; primitive (≈ 25 bytes an entry) instead of a boxed map (≈ 80). */
        private final LongIntHashMap ordByTemplate = new LongIntHashMap();
        /** Rows 0 .. count-1; rows indexed .. count-1 are not linked into the graph yet. */
        private int count;
        private int indexed;
        private int removedCount;
        /**
         * Fixed-size graph (Lucene's concurrent builder and its thread-safe insertion need one): rows up to its
         * capacity are added one by one; past it the graph is copied into a larger one.
         */
        private OnHeapHnswGraph graph;
        private int graphCapacity;
        private HnswGraphBuilder builder;

        Shard(int dimension) {
            if (dimension < 1) {
                throw new IllegalArgumentException("An embedding needs at least one dimension");
            }
            this.dimension = dimension;
            allocate(16);
        }

        private void allocate(int capacity) {
            codes = new byte[Math.multiplyExact(capacity, dimension)];
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
                // grow by an eighth, not double: at a million rows doubling would leave up to half a GB unused
                long wanted = (long) count + Math.max(16, count >> 3);
                int capacity = (int) Math.min(wanted, Integer.MAX_VALUE / dimension);
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
                int index = ordByTemplate.indexOf(templateId);
                if (ordByTemplate.indexExists(index)) {
                    // the same template again (e.g. a moved template's new owner): the old row goes
                    markRemoved(ordByTemplate.indexReplace(index, count));
                } else {
                    ordByTemplate.indexInsert(index, templateId, count);
                }
            }
            count++;
        }

        /** Links the rows not in the graph yet: many at once on every core, a few one by one. */
        void indexPending() {
            if (indexed == count) {
                return;
            }
            try {
                if (graph == null) {
                    buildFresh();
                } else {
                    for (; indexed < Math.min(count, graphCapacity); indexed++) {
                        builder.addGraphNode(indexed);
                    }
                    if (indexed < count) {
                        grow();
                        for (; indexed < count; indexed++) {
                            builder.addGraphNode(indexed);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (removedCount > 1_000 && removedCount * 4L > count) {
                compact();
            }
        }

        /** A new graph over rows 0 .. count-1. */
        private void buildFresh() throws IOException {
            int n = count;
            int threads = n >= CONCURRENT_FROM ? settings.buildThreads() : 1;
            long start = System.nanoTime();
            if (threads > 1) {
                // the graph gets exactly n nodes: Lucene's concurrent builder needs a full fixed-size graph
                OnHeapHnswGraph empty = HnswGraphBuilder.create(new Scorers(), settings.maxConn(),
                        settings.beamWidth(), SEED, n).getGraph();
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "hnsw-build");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    graph = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads, new Scorers(),
                            settings.maxConn(), settings.beamWidth(), empty, null).build(n);
                } finally {
                    pool.shutdownNow();
                }
            } else {
                graph = HnswGraphBuilder.create(new Scorers(), settings.maxConn(), settings.beamWidth(), SEED, n)
                        .build(n);
            }
            graphCapacity = n;
            indexed = n;
            builder = new InitializedHnswGraphBuilder(new Scorers(), settings.maxConn(), settings.beamWidth(), SEED,
                    graph, new SparseFixedBitSet(Math.max(1, n)));
            if (n >= 10_000) {
                LOG.info(String.format("HNSW graph of %d templates built on %d thread(s) in %d ms", n, threads,
                        (System.nanoTime() - start) / 1_000_000));
            }
        }

        /** Copies the graph (full: every node up to its capacity linked) into one with room for the rows not linked yet and an eighth more. */
        private void grow() throws IOException {
            int capacity = Math.max(count, graphCapacity + Math.max(64, graphCapacity >> 3));
            int[] identity = new int[graphCapacity];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i;
            }
            graph = InitializedHnswGraphBuilder.initGraph(settings.maxConn(), graph, identity, capacity);
            graphCapacity = capacity;
            builder = new InitializedHnswGraphBuilder(new Scorers(), settings.maxConn(), settings.beamWidth(), SEED,
                    graph, new SparseFixedBitSet(capacity));
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
            graph = null;
            builder = null;
            graphCapacity = 0;
            indexPending();
            LOG.info(() -> String.format("HNSW gallery compacted: %d live of %d rows, rebuilt in %d ms", live, oldCount,
                    (System.nanoTime() - start) / 1_000_000));
        }

        boolean remove(long templateId) {
            int index = ordByTemplate.indexOf(templateId);
            if (!ordByTemplate.indexExists(index)) {
                return false;
            }
            markRemoved(ordByTemplate.indexRemove(index));
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
            if (indexed - removedCount <= 0 || graph == null) {
                return Optional.empty();
            }
            TopDocs top;
            try {
                top = HnswGraphSearcher.search(new QueryScorer(query), settings.efSearch(), graph,
                        removedCount == 0 ? null : new Live(), Integer.MAX_VALUE).topDocs();
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
            long rows = (long) codes.length + (long) scales.length * Float.BYTES
                    + (long) (customers.length + templates.length) * Long.BYTES;
            long graphBytes = graph == null ? 0 : graph.ramBytesUsed();
            return rows + graphBytes + ordByTemplate.ramBytesUsed() + removed.size() / 8;
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

        /**
         * Scorers between rows, for building the graph: int8 × int8 dot products times both scales (Lucene asks for
         * a scorer per node it checks for diversity, so a scorer must cost nothing to make — no dequantised copy).
         */
        private final class Scorers implements RandomVectorScorerSupplier {
            @Override
            public RandomVectorScorer scorer(int ord) {
                int offset = ord * dimension;
                float scale = scales[ord];
                return new RandomVectorScorer() {
                    @Override
                    public float score(int node) {
                        float cosine = scale * scales[node]
                                * kernel.dot(codes, offset, codes, node * dimension, dimension);
                        return (1 + cosine) / 2;
                    }

                    @Override
                    public int maxOrd() {
                        return count;
                    }
                };
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return this;
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
