package com.rva.eval;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.HnswGallery;
import com.rva.recognition.Match;
import com.rva.recognition.Vectors;

/**
 * {@code ./rva bench gallery}: the ANN gallery ({@link HnswGallery}, int8 rows in a Lucene HNSW graph) against
 * the exact scan ({@link ExactScanGallery}, JDK Vector API on every core when the JVM has it), both holding the
 * same synthetic clustered templates of the model's dimension ({@link SyntheticTemplates}). Every query is a
 * fresh noisy sample of a random enrolled identity (a returning customer).
 * <p>
 * Figures: ms per query of each (mean over the queries, after a warm-up of each), their ratio (exact / ANN),
 * recall@1 of the ANN against the exact scan (the same template, or one exactly as similar) and per customer,
 * bytes held by the ANN index (its own accounting, and the heap it added, measured after a full GC) scaled to
 * a million templates, and its build time (quantising and linking, not generating). {@code --sweep-ef 64,96,…} then
 * measures the same index again at other beams (exact scan re-timed in each pass), one line per beam. Last line:
 * {@code BENCH gallery templates=… ann_ms=… exact_ms=… speedup=… recall_at_1=… bytes_per_million=… build_s=…}.
 */
public final class GalleryBench {

    static final int DEFAULT_TEMPLATES = 1_000_000;
    static final int DEFAULT_QUERIES = 500;
    static final int DIMENSION = 512;
    static final String MODEL = "synthetic-512";
    private static final String USAGE = "usage: rva bench gallery [--templates N] [--queries N] [--per-identity N]"
            + " [--ef N] [--m N] [--beam N] [--threads N] [--sweep-ef N,N,...]";

    private GalleryBench() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("rva bench gallery: " + e.getMessage());
            status = 2;
        } catch (Exception | OutOfMemoryError e) {
            System.err.println("rva bench gallery failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Figures of one run. */
    record Result(int templates, double annMs, double exactMs, double recallAt1, double customerRecallAt1,
            long bytesPerMillion, long heapPerMillion, double buildSeconds, double buildCpuSeconds) {
        double speedup() {
            return exactMs / annMs;
        }
    }

    static int run(String[] args, PrintStream out) {
        int templates = DEFAULT_TEMPLATES;
        int queries = DEFAULT_QUERIES;
        int perIdentity = 5;
        HnswGallery.Settings d = HnswGallery.Settings.DEFAULT;
        int ef = d.efSearch();
        int m = d.maxConn();
        int beam = d.beamWidth();
        int threads = d.buildThreads();
        int[] sweep = {};
        List<String> options = List.of("--templates", "--queries", "--per-identity", "--ef", "--m", "--beam",
                "--threads", "--sweep-ef");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length && options.contains(a)) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unknown or incomplete option '" + a + "' (" + USAGE + ")");
            }
            switch (name) {
                case "--templates" -> templates = positive(name, value);
                case "--queries" -> queries = positive(name, value);
                case "--per-identity" -> perIdentity = positive(name, value);
                case "--ef" -> ef = positive(name, value);
                case "--m" -> m = positive(name, value);
                case "--beam" -> beam = positive(name, value);
                case "--threads" -> threads = positive(name, value);
                case "--sweep-ef" -> sweep = Arrays.stream(value.split(",")).mapToInt(v -> positive(name, v.trim()))
                        .toArray();
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (" + USAGE + ")");
            }
        }
        if (templates < perIdentity) {
            throw new IllegalArgumentException("--templates must be at least --per-identity (" + perIdentity + ")");
        }
        Result r = measure(templates, queries, perIdentity, new HnswGallery.Settings(m, beam, ef, threads), sweep, out);
        out.printf(Locale.ROOT, "BENCH gallery templates=%d ann_ms=%.3f exact_ms=%.3f speedup=%.1f recall_at_1=%.4f"
                + " customer_recall_at_1=%.4f bytes_per_million=%d heap_per_million=%d build_s=%.1f"
                + " build_cpu_s=%.1f%n", r.templates(), r.annMs(), r.exactMs(), r.speedup(), r.recallAt1(),
                r.customerRecallAt1(), r.bytesPerMillion(), r.heapPerMillion(), r.buildSeconds(),
                r.buildCpuSeconds());
        return 0;
    }

    static Result measure(int templates, int queries, int perIdentity, HnswGallery.Settings settings, int[] sweep,
            PrintStream out) {
        SyntheticTemplates data = new SyntheticTemplates(DIMENSION, perIdentity, 2026);
        int identities = (templates + perIdentity - 1) / perIdentity;
        out.printf(Locale.ROOT, "gallery bench: %,d templates of %d dimensions (%,d identities, %d templates each),"
                + " %d queries; kernel %s; %d cores; HNSW M=%d beam=%d ef=%d, built on %d thread(s), int8 rows;"
                + " max heap %d MiB%n",
                templates, DIMENSION, identities, perIdentity, queries, Vectors.kernel().name(),
                Runtime.getRuntime().availableProcessors(), settings.maxConn(), settings.beamWidth(),
                settings.efSearch(), settings.buildThreads(), Runtime.getRuntime().maxMemory() >> 20);

        ExactScanGallery exact = new ExactScanGallery();
        long start = System.nanoTime();
        for (int i = 0; i < templates; i++) {
            exact.add(data.identityOf(i), (long) i, data.template(i), MODEL);
            progress(out, "exact scan", i, start);
        }
        // the ANN index is filled by a second pass over the same (regenerated) templates, so the heap it adds
        // can be measured on its own
        HnswGallery ann = new HnswGallery(settings, Vectors.kernel());
        long heapBefore = usedHeapAfterGc();
        long annNanos = 0;
        long cpuBefore = processCpuNanos();
        start = System.nanoTime();
        for (int i = 0; i < templates; i++) {
            float[] v = data.template(i);
            long t = System.nanoTime();
            ann.addForBulk(data.identityOf(i), (long) i, v, MODEL);
            annNanos += System.nanoTime() - t;
            progress(out, "ANN index (quantised)", i, start);
        }
        long t = System.nanoTime();
        ann.finishBulk();
        annNanos += System.nanoTime() - t;
        double buildSeconds = annNanos / 1e9;
        // CPU time of the whole process while the index was filled and built (generating its templates included):
        // on a machine shared with other builds the wall time says more about the load than about the index
        double buildCpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        out.printf(Locale.ROOT, "ANN index built in %.1f s (quantising and linking %,d templates: %.0f per s);"
                + " process CPU time meanwhile %.1f s (%.0f templates per CPU-second, template generation"
                + " included)%n", buildSeconds, templates, templates / buildSeconds, buildCpuSeconds,
                templates / buildCpuSeconds);
        long annMeasured = usedHeapAfterGc() - heapBefore;
        long annAccounted = ann.ramBytesUsed();
        out.printf(Locale.ROOT, "memory of the ANN index: %,d bytes by its accounting (%,d per million templates);"
                + " the heap grew %,d bytes while it was built (%,d per million); the exact scan's floats: %,d per"
                + " million%n", annAccounted, perMillion(annAccounted, templates), annMeasured,
                perMillion(annMeasured, templates), 1_000_000L * DIMENSION * Float.BYTES);

        float[][] q = new float[queries][];
        java.util.SplittableRandom pick = new java.util.SplittableRandom(7);
        for (int i = 0; i < queries; i++) {
            q[i] = data.query(pick.nextInt(identities), i);
        }
        // warm-up: the JIT compiles both search paths before anything is timed
        for (int i = 0; i < Math.min(queries, 50); i++) {
            exact.bestMatch(q[i], MODEL);
            ann.bestMatch(q[i], MODEL);
        }
        Pass main = pass(exact, ann, settings.efSearch(), q, data);
        double exactMs = main.exactMs();
        double annMs = main.annMs();
        Match[] exactFound = main.exactFound();
        out.printf(Locale.ROOT, "exact scan: %.3f ms per query (all cores); ANN: %.3f ms per query (one thread);"
                + " speedup %.1fx%n", exactMs, annMs, exactMs / annMs);
        out.printf(Locale.ROOT, "recall@1 of ANN against exact: %d of %d templates (%.4f), %d customers (%.4f)%n",
                main.sameTemplate(), queries, main.recallAt1(), main.sameCustomer(), main.customerRecallAt1());
        for (int ef : sweep) {
            Pass p = pass(exact, ann, ef, q, data);
            out.printf(Locale.ROOT, "efSearch %d: ann_ms=%.3f exact_ms=%.3f speedup=%.1f recall_at_1=%.4f"
                    + " customer_recall_at_1=%.4f%n", ef, p.annMs(), p.exactMs(), p.exactMs() / p.annMs(),
                    p.recallAt1(), p.customerRecallAt1());
        }
        float[] sims = new float[queries];
        for (int i = 0; i < queries; i++) {
            sims[i] = exactFound[i].similarity();
        }
        Arrays.sort(sims);
        out.printf(Locale.ROOT, "queries' best cosine (exact): min %.3f, median %.3f, max %.3f%n", sims[0],
                sims[queries / 2], sims[queries - 1]);
        return new Result(templates, annMs, exactMs, main.recallAt1(), main.customerRecallAt1(),
                perMillion(annAccounted, templates), perMillion(annMeasured, templates), buildSeconds,
                buildCpuSeconds);
    }

    /** Timings and answers of one pass over the queries at one beam. */
    record Pass(double annMs, double exactMs, int sameTemplate, int sameCustomer, Match[] exactFound) {
        double recallAt1() {
            return sameTemplate / (double) exactFound.length;
        }

        double customerRecallAt1() {
            return sameCustomer / (double) exactFound.length;
        }
    }

    /** Every query through both galleries, one after the other (so both see the same machine load). */
    private static Pass pass(ExactScanGallery exact, HnswGallery ann, int ef, float[][] q, SyntheticTemplates data) {
        int queries = q.length;
        Match[] exactFound = new Match[queries];
        Match[] annFound = new Match[queries];
        long exactNanos = 0;
        long annSearchNanos = 0;
        for (int i = 0; i < queries; i++) {
            long a = System.nanoTime();
            exactFound[i] = exact.bestMatch(q[i], MODEL).orElseThrow();
            long b = System.nanoTime();
            annFound[i] = ann.bestMatch(q[i], MODEL, ef).orElse(null);
            long c = System.nanoTime();
            exactNanos += b - a;
            annSearchNanos += c - b;
        }
        int sameTemplate = 0;
        int sameCustomer = 0;
        for (int i = 0; i < queries; i++) {
            Match e = exactFound[i];
            Match a = annFound[i];
            if (a == null) {
                continue;
            }
            // the same template, or another one exactly as similar (a tie the exact scan broke by row order)
            if (a.templateId().equals(e.templateId())
                    || Vectors.dot(q[i], data.template(a.templateId())) >= e.similarity()) {
                sameTemplate++;
            }
            if (a.customerId() == e.customerId()) {
                sameCustomer++;
            }
        }
        return new Pass(annSearchNanos / 1e6 / queries, exactNanos / 1e6 / queries, sameTemplate, sameCustomer,
                exactFound);
    }

    private static void progress(PrintStream out, String what, int i, long start) {
        if ((i + 1) % 200_000 == 0) {
            out.printf(Locale.ROOT, "  %s: %,d templates (%.0f s)%n", what, i + 1, (System.nanoTime() - start) / 1e9);
        }
    }

    private static long perMillion(long bytes, int templates) {
        return Math.round(bytes * (1_000_000.0 / templates));
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive whole number, not '" + value + "'");
        }
    }
}
