package com.rva.recognition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import org.apache.lucene.internal.hppc.LongIntHashMap;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.SparseFixedBitSet;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.InitializedHnswGraphBuilder;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.NeighborQueue;
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
public final class HnswGallery extends ShardedGallery<HnswGallery.Shard> {

    private static final Logger LOG = Logger.getLogger(HnswGallery.class.getName());
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
        public static final Settings DEFAULT = new Settings(16, 100, 128);

        public Settings {
            if (maxConn < 2 || beamWidth < 1 || efSearch < 1 || buildThreads < 1) {
                throw new IllegalArgumentException("Invalid HNSW settings: " + maxConn + ", " + beamWidth + ", "
                        + efSearch + ", " + buildThreads);
            }
        }

        /** These settings with another {@code efSearch}. */
        public Settings withEfSearch(int efSearch) {
            return new Settings(maxConn, beamWidth, efSearch, buildThreads);
        }

        /** Bulk builds on every core. */
        public Settings(int maxConn, int beamWidth, int efSearch) {
            this(maxConn, beamWidth, efSearch, Runtime.getRuntime().availableProcessors());
        }
    }

    private final Settings settings;
    private final DotKernel kernel;
    /** Written by every search so the JIT keeps {@code Shard.touch}'s reads (their sum is meaningless). */
    @SuppressWarnings("unused")
    private int touchSink;

    public HnswGallery() {
        this(Settings.DEFAULT, Vectors.kernel());
    }

    public HnswGallery(Settings settings, DotKernel kernel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    @Override
    public Optional<Match> bestMatch(float[] query, String modelVersion) {
        return bestMatch(query, modelVersion, settings.efSearch());
    }

    /** {@link #bestMatch(float[], String)} with another beam than the settings' (benchmarks compare beams on one index). */
    public Optional<Match> bestMatch(float[] query, String modelVersion, int efSearch) {
        Objects.requireNonNull(query, "query");
        if (efSearch < 1) {
            throw new IllegalArgumentException("efSearch must be positive: " + efSearch);
        }
        return search(modelVersion, shard -> shard.bestMatch(query, efSearch));
    }

    @Override
    public void add(long customerId, Long templateId, float[] vector, String modelVersion) {
        Objects.requireNonNull(vector, "vector");
        lock.writeLock().lock();
        try {
            Shard shard = shard(modelVersion, v -> new Shard(vector.length));
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
        lock.writeLock().lock();
        try {
            shard(modelVersion, v -> new Shard(vector.length))
                    .append(customerId, templateId == null ? NO_TEMPLATE_ID : templateId, vector, modelVersion);
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Links every template added with {@link #addForBulk} into the graphs, and trims the rows' arrays to what they
     * hold (growing by an eighth leaves up to 12 % unused: 45 MB at a million templates).
     */
    public void finishBulk() {
        lock.writeLock().lock();
        try {
            for (Shard shard : shards.values()) {
                shard.indexPending();
                shard.trim();
            }
        } finally {
            lock.writeLock().unlock();
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
    final class Shard implements ShardedGallery.Shard {
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

        /** Shrinks the rows' arrays to the rows held (the next append grows them again). */
        void trim() {
            int capacity = Math.max(16, count);
            if (capacity < scales.length) {
                codes = Arrays.copyOf(codes, capacity * dimension);
                scales = Arrays.copyOf(scales, capacity);
                customers = Arrays.copyOf(customers, capacity);
                templates = Arrays.copyOf(templates, capacity);
            }
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

        @Override
        public boolean remove(long templateId) {
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

        Optional<Match> bestMatch(float[] query, int efSearch) {
            if (query.length != dimension) {
                throw new IllegalArgumentException("The query has " + query.length + " dimensions; this model's "
                        + "templates have " + dimension);
            }
            if (indexed - removedCount <= 0 || graph == null) {
                return Optional.empty();
            }
            int best = search(query, efSearch);
            if (best < 0) {
                return Optional.empty();
            }
            float similarity = similarity(query, best);
            long templateId = templates[best];
            return Optional.of(new Match(customers[best], templateId == NO_TEMPLATE_ID ? null : templateId, similarity));
        }

        /**
         * HNSW search over Lucene's graph (the same walk as {@code HnswGraphSearcher}: one greedy step per upper
         * level, then a beam of {@code ef} candidates on the bottom level), returning the most similar live row or -1.
         * Written out here rather than through Lucene's scorer interface for memory latency: a bottom-level step
         * first collects the node's unvisited neighbours and reads one byte of every cache line of their rows, so
         * the CPU fetches those rows from memory in parallel, then scores them (a million rows are 512 MB: nearly
         * every row a search visits is a cache miss, and fetched one by one they cost more than the dot products).
         */
        private int search(float[] query, int ef) {
            int entry = graph.entryNode();
            if (entry < 0) {
                return -1;
            }
            float entryScore = similarity(query, entry);
            for (int level = graph.numLevels() - 1; level > 0; level--) {
                boolean moved = true;
                while (moved) {
                    moved = false;
                    NeighborArray neighbours = graph.getNeighbors(level, entry);
                    int[] nodes = neighbours.nodes();
                    for (int i = 0, n = neighbours.size(); i < n; i++) {
                        float s = similarity(query, nodes[i]);
                        if (s > entryScore) {
                            entryScore = s;
                            entry = nodes[i];
                            moved = true;
                        }
                    }
                }
            }
            FixedBitSet visited = new FixedBitSet(graphCapacity);
            NeighborQueue candidates = new NeighborQueue(ef, true);
            NeighborQueue results = new NeighborQueue(ef, false);
            int[] batch = new int[2 * settings.maxConn() + 1];
            visited.set(entry);
            candidates.add(entry, entryScore);
            if (!removed.get(entry)) {
                results.add(entry, entryScore);
            }
            int touched = 0;
            while (candidates.size() > 0) {
                if (results.size() >= ef && candidates.topScore() < results.topScore()) {
                    break;
                }
                NeighborArray neighbours = graph.getNeighbors(0, candidates.pop());
                int[] nodes = neighbours.nodes();
                int fresh = 0;
                for (int i = 0, n = neighbours.size(); i < n; i++) {
                    if (!visited.getAndSet(nodes[i])) {
                        if (fresh == batch.length) {
                            batch = Arrays.copyOf(batch, 2 * fresh);
                        }
                        batch[fresh++] = nodes[i];
                    }
                }
                touched += touch(batch, fresh);
                for (int i = 0; i < fresh; i++) {
                    int node = batch[i];
                    float s = similarity(query, node);
                    if (results.size() < ef || s > results.topScore()) {
                        candidates.add(node, s);
                        if (!removed.get(node)) {
                            results.insertWithOverflow(node, s);
                        }
                    }
                }
            }
            touchSink = touched;
            if (results.size() == 0) {
                return -1;
            }
            while (results.size() > 1) {
                results.pop();
            }
            return results.topNode();
        }

        /** Reads one byte of every cache line of the rows (and their scales): loads the CPU can issue together. */
        private int touch(int[] rows, int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                int offset = rows[i] * dimension;
                for (int b = 0; b < dimension; b += 64) {
                    sum += codes[offset + b];
                }
                sum += codes[offset + dimension - 1] + Float.floatToRawIntBits(scales[rows[i]]);
            }
            return sum;
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
