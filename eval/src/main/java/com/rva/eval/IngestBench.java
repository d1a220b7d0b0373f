package com.rva.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rva.collector.CollectorVersion;
import com.rva.collector.send.OutgoingCrop;
import com.rva.collector.send.Outbox;
import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.OpenCvNatives;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.OnnxEmbedder;
import com.rva.recognition.OrtOptimisation;

/**
 * {@code ./rva bench ingest} (the JVM side; the launcher starts and stops the server): crops per second through
 * the server's whole ingest path — JMS → {@code FaceCropConsumer} (MDB) → decode → embed → match or enrol →
 * sighting and visit, committed — against a bare loop of decode + embed over the same crops, in the same run.
 * <p>
 * The crops are real collector crops of a labelled folder, sent through the collector's own {@link Outbox}
 * (embedded broker, core bridge), one outbox per store with that store's credentials. To time the server and not
 * the network, the server's {@code rva.crops} queue is paused while the crops arrive (WildFly management API),
 * then resumed: the clock runs from the resume until the queue holds no message (every transaction committed).
 * Warm-up batches go through first, unpaused, until the server's JIT is quiet under traffic
 * ({@link #warmUpUntilSteady}). Crops rejected or dead-lettered make the run fail: a crop that is not ingested must
 * not count as fast.
 * <p>
 * The bare loop uses the product's embedder as the server creates it ({@link OnnxEmbedder#create(int)}), at the
 * ONNX Runtime level the server's embedder runs when its log is given ({@code --server-log}; else calibrated itself), on as
 * many threads as the server can ingest in parallel: one per store (the crops of one store are a JMS message group,
 * processed in order), at most one per CPU, warmed up by the same rule and timed before and after the server (the
 * mean of both is the bare figure). Last line:
 * {@code BENCH ingest crops=… server_cps=… bare_cps=… ratio=… server_cpu_ms=… bare_cpu_ms=… cpu_ratio=…} with
 * ratio = server / bare crops per second (the goal, ≥ 0.85) and, beside it, the CPU time each side spent per crop
 * (the server's whole process from {@code /proc}, the bare loop's JVM) and cpu_ratio = bare / server CPU per crop:
 * a figure that a loaded machine inflates far less than wall-clock rates (0 when {@code /proc} cannot be read).
 */
public final class IngestBench {

    static final int DEFAULT_CROPS = 400;
    /** Timed rounds of the server, each followed by one of the bare loop ({@code --rounds N}). */
    static final int DEFAULT_ROUNDS = 3;
    /**
     * Default cap on all warm-up crops together, whatever the timed count: the JIT's tail depends on how often each
     * method ran, not on the timed count (at 300 timed crops a cap of 7,500 ended with the JIT at 15 % of the CPU).
     */
    static final int DEFAULT_MAX_WARM_UP = 30_000;
    /**
     * Default least number of warm-up crops on each side ({@code --warm-up N}). The JIT's share of a batch falls
     * unevenly (2.4 % after 11,000 crops, 3.7 % after 12,000 and 1.6 % after 13,000 in one run), while the server's CPU
     * per crop kept falling until 16,000–20,000 crops in every run; a run that stopped after 13,000 crops timed 8.0 ms
     * of CPU per crop, runs after 16,000–22,000 7.3–7.7 (docs/recognition.md, "Ingest, seventh round").
     */
    static final int DEFAULT_MIN_WARM_UP = 20_000;
    /** Smallest batch after the first warm-up batch. */
    static final int MIN_ROUND = 500;
    /**
     * Steady state: the JIT compiler threads used less than this share of the process's CPU over a batch (after at
     * least {@link #DEFAULT_MIN_WARM_UP} crops). At 5 % the server was still getting faster: 10,000–12,000 warm-up
     * crops, then 8.1–8.8 ms of CPU per timed crop (docs/recognition.md, "Ingest, seventh round").
     */
    static final double STEADY_JIT_SHARE = 0.02;
    private static final String QUEUE = "rva.crops";
    /** How many characters of a thread's name the kernel keeps ({@code /proc/PID/task/TID/stat}). */
    private static final int KERNEL_NAME_LENGTH = 15;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String USAGE = "usage: IngestBench --faces DIR --server URL --management URL"
            + " --management-user U --management-password-file F --credentials DIR --stores S1,S2 --state DIR"
            + " [--crops N] [--rounds N] [--warm-up N] [--max-warm-up N] [--server-log FILE]";
    private static final Pattern LOADED = Pattern.compile(
            "Loaded face model \\S+ \\(\\d+-d, ONNX Runtime, (NO_OPT|BASIC_OPT|EXTENDED_OPT|ALL_OPT)[ ,)]");
    /** The server's throughput line (IngestMetrics): its crop count and the embedding's CPU per face. */
    private static final Pattern EMBED_CPU = Pattern.compile(
            "Ingest: (\\d+) crops in .*?; embedding [0-9.]+ ms/face \\(CPU ([0-9.]+) ms\\)");
    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*(-?\\d+)");

    private IngestBench() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("rva bench ingest: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("rva bench ingest failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Map<String, String> o = options(args);
        Path faces = Path.of(require(o, "--faces"));
        int crops = o.containsKey("--crops") ? EmbedderBench.positive("--crops", o.get("--crops")) : DEFAULT_CROPS;
        String server = require(o, "--server");
        Management management = new Management(require(o, "--management"), require(o, "--management-user"),
                Files.readString(Path.of(require(o, "--management-password-file"))).strip());
        Path credentials = Path.of(require(o, "--credentials"));
        List<String> stores = List.of(require(o, "--stores").split(","));
        Path state = Path.of(require(o, "--state"));
        if (!Files.isDirectory(faces)) {
            throw new IllegalArgumentException("the labelled faces folder " + faces.toAbsolutePath().normalize()
                    + " is missing (give one with --faces DIR, laid out DIR/<identity>/<photo>)");
        }

        OpenCvNatives.load();
        List<FaceCrop> unique = EmbedderBench.collectorCrops(faces, Integer.MAX_VALUE);
        int threads = Math.max(1, Math.min(stores.size(), Runtime.getRuntime().availableProcessors()));
        out.printf(Locale.ROOT, "rva bench ingest: %d crops (%d distinct collector crops of %s, taken in turn) from %d"
                + " store(s); bare loop on %d thread(s); %d CPU(s), load average %.2f%n", crops, unique.size(), faces,
                stores.size(), threads, Runtime.getRuntime().availableProcessors(), EmbedderBench.loadAverage());

        Optional<OrtOptimisation> serverLevel = o.containsKey("--server-log")
                ? serverEmbedderLevel(Path.of(o.get("--server-log"))) : Optional.empty();
        // At least minWarm crops, then more batches until the JIT is quiet *under traffic* (steady state, see
        // warmUpUntilSteady), at most maxWarm; the bare loop is warmed by the same rule.
        int maxWarm = o.containsKey("--max-warm-up") ? EmbedderBench.positive("--max-warm-up", o.get("--max-warm-up"))
                : DEFAULT_MAX_WARM_UP;
        int minWarm = Math.min(maxWarm, o.containsKey("--warm-up")
                ? EmbedderBench.positive("--warm-up", o.get("--warm-up")) : DEFAULT_MIN_WARM_UP);
        int rounds = o.containsKey("--rounds") ? EmbedderBench.positive("--rounds", o.get("--rounds")) : DEFAULT_ROUNDS;
        try (BareLoop bareLoop = new BareLoop(unique, threads, serverLevel, out)) {
            bareLoop.warmUp(Math.max(crops, MIN_ROUND), minWarm, maxWarm, out);
            List<double[]> bare = new ArrayList<>();
            bare.add(bareLoop.time(crops, "before the server", out));
            return timeServer(o, crops, rounds, management, credentials, stores, state, server, unique, minWarm,
                    maxWarm, bareLoop, bare, out);
        }
    }

    /**
     * Warms the server up, then times {@code rounds} rounds of {@code crops} crops, each followed by a round of the bare
     * loop (the server idle), so that a load that changes during the run moves both sides; each side's rate is its
     * crops over its total time.
     */
    private static int timeServer(Map<String, String> o, int crops, int rounds, Management management,
            Path credentials, List<String> stores, Path state, String server, List<FaceCrop> unique, int minWarm,
            int maxWarm, BareLoop bareLoop, List<double[]> bare, PrintStream out) throws Exception {

        long seqBase = System.currentTimeMillis() * 10; // unique duplicate ids across runs on one database
        List<Outbox> outboxes = new ArrayList<>();
        double seconds = 0;
        long serverCpuNanos = 0;
        boolean serverCpuKnown = true;
        Map<Long, ThreadCpu> serverThreads = new HashMap<>();
        Map<Long, ThreadCpu> idleThreads = new HashMap<>();
        Optional<Path> serverLog = Optional.ofNullable(o.get("--server-log")).map(Path::of);
        long logOffset = -1;
        long serverPid = -1;
        try {
            serverPid = management.serverPid();
            for (String store : stores) {
                String password = Files.readString(credentials.resolve(store)).strip();
                outboxes.add(new Outbox(state.resolve("outbox-" + store + "-" + seqBase), server,
                        store.replace('_', '-'), password, true, 1L << 34));
            }
            management.expectEmpty();
            long sent = warmUpUntilSteady(management, serverPid, outboxes, stores, unique, minWarm, maxWarm,
                    Math.max(3 * crops, 40), Math.max(crops, MIN_ROUND), seqBase, out);
            // and the compile queue of the last batch drained (the compiler threads may lag behind its traffic)
            long quietAfter = awaitJitQuiet(serverPid, 90);
            out.printf(Locale.ROOT, "server JIT compiler idle after %d ms more%n", quietAfter);
            logOffset = serverLog.isPresent() && Files.isRegularFile(serverLog.get()) ? Files.size(serverLog.get()) : -1;

            for (int r = 1; r <= rounds; r++) {
                Map<Long, ThreadCpu> threadsBefore;
                OptionalLong cpuBefore;
                try {
                    forwardPaused(management, outboxes, stores, unique, crops, seqBase + sent);
                    sent += crops;
                    threadsBefore = threadCpuNanos(serverPid);
                    cpuBefore = processCpuNanos(serverPid);
                } finally {
                    management.resume();
                }
                long start = System.nanoTime();
                management.drain(crops, 1800);
                double roundSeconds = (System.nanoTime() - start) / 1e9;
                OptionalLong cpuAfter = processCpuNanos(serverPid);
                addCpu(serverThreads, threadsBefore, threadCpuNanos(serverPid));
                management.expectEmpty();
                seconds += roundSeconds;
                if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                    serverCpuNanos += cpuAfter.getAsLong() - cpuBefore.getAsLong();
                } else {
                    serverCpuKnown = false;
                }
                out.printf(Locale.ROOT, "server (round %d of %d): %d crops ingested in %.2f s = %.1f crops/s (JMS -> MDB"
                        + " -> decode -> embed -> match/enrol -> sighting + visit, committed)%n", r, rounds, crops,
                        roundSeconds, crops / roundSeconds);
                // the bare loop again, the server idle now
                Map<Long, ThreadCpu> idleBefore = threadCpuNanos(serverPid);
                bare.add(bareLoop.time(crops, "after server round " + r, out));
                addCpu(idleThreads, idleBefore, threadCpuNanos(serverPid));
            }
        } finally {
            outboxes.forEach(Outbox::close);
        }
        int timed = crops * rounds;
        double serverCps = timed / seconds;
        double bareSeconds = bare.stream().mapToDouble(b -> crops / b[0]).sum();
        double bareCps = crops * bare.size() / bareSeconds;
        double bareCpuMs = bare.stream().mapToDouble(b -> b[1]).average().orElse(0);
        double bareEmbedCpuMs = bare.stream().mapToDouble(b -> b[2]).average().orElse(0);
        double ratio = serverCps / bareCps;
        double serverCpuMs = serverCpuKnown ? serverCpuNanos / 1e6 / timed : 0;
        double cpuRatio = serverCpuMs > 0 ? bareCpuMs / serverCpuMs : 0;
        out.printf(Locale.ROOT, "server: %d crops in %d round(s) ingested in %.2f s = %.1f crops/s; bare: %d crops in %d"
                + " round(s) in %.2f s = %.1f crops/s%n", timed, rounds, seconds, serverCps, crops * bare.size(),
                bare.size(), bareSeconds, bareCps);
        printThreadBreakdown("idle server CPU while the bare loop ran after it", idleThreads, timed, out);
        printThreadBreakdown("server CPU", serverThreads, timed, out);
        OptionalDouble serverEmbedCpuMs = logOffset < 0 ? OptionalDouble.empty()
                : serverEmbedCpuMs(serverLog.get(), logOffset);
        if (serverEmbedCpuMs.isPresent() && serverCpuMs > 0) {
            double embed = serverEmbedCpuMs.getAsDouble();
            out.printf(Locale.ROOT, "embedding CPU per crop: server %.2f ms (its throughput lines of the timed phase),"
                    + " bare %.2f ms; everything else: server %.2f ms, bare %.2f ms%n", embed, bareEmbedCpuMs,
                    serverCpuMs - embed, bareCpuMs - bareEmbedCpuMs);
        }
        out.printf(Locale.ROOT, "CPU per crop: server %.2f ms (whole process, /proc), bare %.2f ms (its JVM, mean of"
                + " its rounds); bare / server = %.3f%n", serverCpuMs, bareCpuMs, cpuRatio);
        out.printf(Locale.ROOT, "ratio server / bare = %.3f (goal >= 0.85); load average at the end %.2f%n", ratio,
                EmbedderBench.loadAverage());
        out.printf(Locale.ROOT, "BENCH ingest crops=%d server_cps=%.1f bare_cps=%.1f ratio=%.3f server_cpu_ms=%.2f"
                + " bare_cpu_ms=%.2f cpu_ratio=%.3f%n", timed, serverCps, bareCps, ratio, serverCpuMs, bareCpuMs, cpuRatio);
        return 0;
    }

    /** Adds each thread's CPU between two readings to {@code sum} (a thread new in {@code after} counts from zero). */
    static void addCpu(Map<Long, ThreadCpu> sum, Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after) {
        after.forEach((tid, t) -> {
            long used = t.since(before.get(tid));
            sum.merge(tid, new ThreadCpu(t.name(), used), (x, y) -> new ThreadCpu(y.name(), x.nanos() + y.nanos()));
        });
    }

    /**
     * The ONNX Runtime level the server's embedder runs (its last "Loaded face model" log line), so that the bare
     * loop runs the same configuration: both sides calibrate at start, and on a busy machine the two calibrations
     * may choose differently (noise), which would time the calibration instead of the ingest path.
     */
    static Optional<OrtOptimisation> serverEmbedderLevel(Path serverLog) throws IOException {
        Matcher m = LOADED.matcher(Files.readString(serverLog, StandardCharsets.ISO_8859_1));
        String level = null;
        while (m.find()) {
            level = m.group(1);
        }
        return level == null ? Optional.empty() : Optional.of(OrtOptimisation.parse(level));
    }

    /**
     * The server's embedding CPU per crop over its throughput lines written after {@code offset} (the log's size when
     * the timed phase began), weighted by their crop counts; empty when there is none (an older server, or the JVM
     * does not measure thread CPU time).
     */
    static OptionalDouble serverEmbedCpuMs(Path serverLog, long offset) throws IOException {
        String log = Files.readString(serverLog, StandardCharsets.ISO_8859_1);
        Matcher m = EMBED_CPU.matcher(log.substring((int) Math.min(offset, log.length())));
        double sum = 0;
        long crops = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            sum += n * Double.parseDouble(m.group(2));
            crops += n;
        }
        return crops == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / crops);
    }

    /** CPU time (user + system) of a local process from {@code /proc/PID/stat}, or empty where it cannot be read. */
    static OptionalLong processCpuNanos(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name in parentheses: state(3) ... utime(14) stime(15), in clock ticks (USER_HZ 100)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** One thread of a process: its name as the kernel keeps it (15 characters at most) and its CPU time. */
    record ThreadCpu(String name, long nanos) {

        /**
         * CPU this thread used since an earlier reading of its id; from zero when there was none or the id then
         * belonged to a thread of another name (it ended and the id was given again).
         */
        long since(ThreadCpu before) {
            return nanos - (before != null && before.name.equals(name) ? before.nanos : 0);
        }
    }

    /** CPU time per thread of a local process from {@code /proc/PID/task/*\/stat}; empty where it cannot be read. */
    static Map<Long, ThreadCpu> threadCpuNanos(long pid) {
        Map<Long, ThreadCpu> threads = new LinkedHashMap<>();
        if (pid <= 0) {
            return threads;
        }
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadCpu(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            threads.clear();
        }
        return threads;
    }

    /**
     * Where the server's CPU went ({@code used}: each thread's CPU as {@link #addCpu} sums it), by kind of thread (the
     * kernel's thread name with its digits dropped: "GC Thread#0" and "GC Thread#1" are one kind), largest first, in ms
     * per crop, on one line that starts with {@code what}; nothing when the threads could not be read.
     */
    static void printThreadBreakdown(String what, Map<Long, ThreadCpu> used, int crops, PrintStream out) {
        if (used.isEmpty()) {
            return;
        }
        Map<String, long[]> kinds = new TreeMap<>(Comparator.comparingInt(String::length)
                .thenComparing(Comparator.naturalOrder()));
        Set<String> cutShort = new HashSet<>();
        used.values().forEach(t -> {
            if (t.nanos() > 0) {
                String kind = t.name().replaceAll("[0-9]+", "#").strip();
                long[] k = kinds.computeIfAbsent(kind, n -> new long[2]);
                k[0] += t.nanos();
                k[1]++;
                if (t.name().length() >= KERNEL_NAME_LENGTH) {
                    cutShort.add(kind);
                }
            }
        });
        // the kernel keeps 15 characters of a name, so "Thread-9 (Activ" and "Thread-19 (Acti" are one kind: a kind
        // cut short joins the shortest cut-short kind it starts with (the map is sorted by length)
        for (String kind : cutShort) {
            kinds.keySet().stream().filter(k -> k.length() < kind.length() && cutShort.contains(k) && kind.startsWith(k))
                    .findFirst().ifPresent(shorter -> {
                        long[] from = kinds.remove(kind);
                        kinds.get(shorter)[0] += from[0];
                        kinds.get(shorter)[1] += from[1];
                    });
        }
        StringBuilder b = new StringBuilder(what + " by thread kind (ms per crop, threads):");
        kinds.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(14)
                .forEach(e -> b.append(String.format(Locale.ROOT, " %s %.2f (%d);", e.getKey(),
                        e.getValue()[0] / 1e6 / crops, e.getValue()[1])));
        out.println(b);
    }

    /**
     * Warms the server up until its JIT is quiet under traffic: a first batch of {@code first} crops (at most
     * {@code max}), then batches of {@code round} crops until {@code min} crops were sent and the JIT compiler threads'
     * CPU over the last batch was less than {@link #STEADY_JIT_SHARE} of the whole process's, or {@code max} crops
     * were sent. Returns the crops sent.
     * <p>
     * Why not "until the compiler threads are idle after the traffic": HotSpot compiles a method with C2 once its
     * profiled invocations pass a threshold (Tier4InvocationThreshold, 5000, raised while the C2 queue is long), and
     * it checks that threshold only when the method runs. The frames that run once per crop
     * ({@code DefaultIngestService.ingest}, {@code OrtSession.run}, the transaction's and the queue's per-message
     * methods) are the last to get there — LogCompilation on this bench: {@code DefaultIngestService.ingest} at C1
     * level 2 after 1,408 crops, level 3 after 2,948, C2 after 8,198 (a 426 ms compile that inlines 484 methods) —
     * so after a warm-up of 3,000–8,000 crops the compiler was idle while the server waited and busy again as soon as
     * the timed crops came (1–3 ms of the server's CPU per crop).
     * <p>
     * Every batch after the first goes through the server as the timed one does: forwarded into the paused queue,
     * then resumed and drained. Delivering from a backlog runs other code in the broker than delivering each message
     * as it arrives to a waiting consumer: with unpaused batches the JIT was at 0.8 % of the server's CPU in the last
     * batch (after 20,000 crops) and at 5 % again in the timed phase.
     */
    static long warmUpUntilSteady(Management management, long pid, List<Outbox> outboxes, List<String> stores,
            List<FaceCrop> unique, int min, int max, int first, int round, long seqBase, PrintStream out)
            throws Exception {
        long sent = 0;
        int batch = Math.min(first, max);
        for (int k = 1; ; k++) {
            Map<Long, ThreadCpu> before = threadCpuNanos(pid);
            long t0 = System.nanoTime();
            if (k == 1) {
                send(outboxes, stores, unique, batch, seqBase + sent);
                management.awaitCount(0, 300);
            } else {
                try {
                    forwardPaused(management, outboxes, stores, unique, batch, seqBase + sent);
                } finally {
                    management.resume();
                }
                management.drain(batch, 1800);
            }
            sent += batch;
            Map<Long, ThreadCpu> after = threadCpuNanos(pid);
            long all = cpuBetween(before, after, n -> true);
            long jit = cpuBetween(before, after, IngestBench::isJitThread);
            double share = all > 0 ? (double) jit / all : 0;
            out.printf(Locale.ROOT, "server warm-up %d: %d crops in %d ms, JIT %.2f ms per crop = %.1f %% of the server's"
                    + " CPU (%.2f ms per crop)%n", k, batch, (System.nanoTime() - t0) / 1_000_000, jit / 1e6 / batch,
                    100 * share, all / 1e6 / batch);
            if (sent >= min && (all <= 0 || share < STEADY_JIT_SHARE)) {
                out.printf(Locale.ROOT, "server steady after %d warm-up crops%n", sent);
                return sent;
            }
            if (sent >= max) {
                out.printf(Locale.ROOT, "server NOT steady after %d warm-up crops (the cap, --max-warm-up): the JIT still"
                        + " compiles, the timed phase includes it%n", sent);
                return sent;
            }
            batch = (int) Math.min(round, max - sent);
        }
    }

    /**
     * Pauses the server's queue and forwards {@code n} crops into it, where they wait; the caller resumes the queue
     * (also when this fails).
     */
    private static void forwardPaused(Management management, List<Outbox> outboxes, List<String> stores,
            List<FaceCrop> unique, int n, long seq) throws Exception {
        management.pause();
        send(outboxes, stores, unique, n, seq);
        management.awaitCount(n, 300);
    }

    /** CPU the threads whose name passes {@code kind} used between two readings (threads that ended are not counted). */
    static long cpuBetween(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after,
            java.util.function.Predicate<String> kind) {
        long used = 0;
        for (Map.Entry<Long, ThreadCpu> e : after.entrySet()) {
            if (!kind.test(e.getValue().name())) {
                continue;
            }
            used += e.getValue().since(before.get(e.getKey()));
        }
        return used;
    }

    /** Whether a kernel thread name is one of HotSpot's JIT compiler threads ("C2 CompilerThread0", 15 chars kept). */
    static boolean isJitThread(String name) {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /**
     * Waits until the server's JIT compiler threads used less than 5 % of a core over a second (or {@code
     * maxSeconds} passed); returns the milliseconds waited. Without {@code /proc}: returns at once.
     */
    static long awaitJitQuiet(long pid, int maxSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long previous = jitNanos(threadCpuNanos(pid));
        while (previous >= 0 && System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
            Thread.sleep(1_000);
            long now = jitNanos(threadCpuNanos(pid));
            if (now < 0 || now - previous < 50_000_000L) {
                break;
            }
            previous = now;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long jitNanos(Map<Long, ThreadCpu> threads) {
        return threads.isEmpty() ? -1 : threads.values().stream().filter(t -> isJitThread(t.name()))
                .mapToLong(ThreadCpu::nanos).sum();
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /**
     * The bare loop: decode + embed with the product's embedder on {@code threads} threads, warmed up by the same rule
     * as the server (batches until its own JIT compiler threads use less than {@link #STEADY_JIT_SHARE} of this JVM's
     * CPU over a batch) and then timed, once before the server's timed phase and once after it, so that a change of
     * the machine's load during the run moves both sides.
     */
    static final class BareLoop implements AutoCloseable {
        private final List<FaceCrop> unique;
        private final int threads;
        private final CropDecoder decoder = new CropDecoder();
        private final OnnxEmbedder embedder;
        private final ExecutorService pool;
        private final LongAdder embedCpuNanos = new LongAdder();

        BareLoop(List<FaceCrop> unique, int threads, Optional<OrtOptimisation> level, PrintStream out) throws Exception {
            this.unique = unique;
            this.threads = threads;
            this.embedder = OnnxEmbedder.create(OnnxEmbedder.DEFAULT_INTRA_OP_THREADS,
                    level.orElse(OnnxEmbedder.OPTIMISATION_LEVEL));
            this.pool = Executors.newFixedThreadPool(threads);
            out.printf(Locale.ROOT, "bare embedder: ONNX Runtime %s (%s), %d intra-op thread(s) per inference%n",
                    embedder.optimisationLevel(), level.isPresent() ? "the level the server's embedder runs, from its log"
                            : embedder.calibration().map(Object::toString).orElse("configured"),
                    OnnxEmbedder.DEFAULT_INTRA_OP_THREADS);
        }

        /**
         * Batches of {@code round} crops until {@code min} crops ran and this JVM's JIT was quiet over the last (or
         * {@code max} crops ran); returns the crops run.
         */
        long warmUp(int round, int min, int max, PrintStream out) throws Exception {
            long pid = ProcessHandle.current().pid();
            long done = 0;
            for (int k = 1; ; k++) {
                Map<Long, ThreadCpu> before = threadCpuNanos(pid);
                int batch = (int) Math.max(1, Math.min(round, max - done));
                run(batch);
                done += batch;
                Map<Long, ThreadCpu> after = threadCpuNanos(pid);
                long all = cpuBetween(before, after, n -> true);
                long jit = cpuBetween(before, after, IngestBench::isJitThread);
                double share = all > 0 ? (double) jit / all : 0;
                boolean steady = all <= 0 || share < STEADY_JIT_SHARE;
                if (done >= min && steady || done >= max) {
                    out.printf(Locale.ROOT, "bare warm-up: %d crops in %d batch(es), JIT %.1f %% of its CPU in the last%s%n",
                            done, k, 100 * share, steady ? "" : " (NOT steady: the cap)");
                    return done;
                }
            }
        }

        /**
         * Times {@code crops} crops: crops per second, this JVM's CPU milliseconds per crop (0 when unknown) and the
         * embedding's alone (its threads' CPU, as the server's throughput line measures it).
         */
        double[] time(int crops, String label, PrintStream out) throws Exception {
            long t0 = System.nanoTime();
            long cpu0 = ownCpuNanos();
            embedCpuNanos.reset();
            run(crops);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu1 = ownCpuNanos();
            double cps = crops / seconds;
            double cpuMs = cpu0 < 0 || cpu1 < 0 ? 0 : (cpu1 - cpu0) / 1e6 / crops;
            double embedCpuMs = embedCpuNanos.sum() / 1e6 / crops;
            out.printf(Locale.ROOT, "bare (%s): %d crops decoded and embedded in %.2f s = %.1f crops/s, %.2f ms CPU per"
                    + " crop (embedding %.2f)%n", label, crops, seconds, cps, cpuMs, embedCpuMs);
            return new double[] {cps, cpuMs, embedCpuMs};
        }

        private void run(int crops) throws Exception {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < crops; i += threads) {
                        BufferedImage image = decoder.decode(unique.get(i % unique.size()).jpeg());
                        long cpu0 = THREADS.getCurrentThreadCpuTime();
                        embedder.embed(image);
                        embedCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
            embedder.close();
        }
    }

    /** {@code n} crops, store by store in turn, one frame each, as a collector stores them. */
    private static void send(List<Outbox> outboxes, List<String> stores, List<FaceCrop> unique, int n, long seqBase)
            throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            int s = i % stores.size();
            FaceCrop c = unique.get(i % unique.size());
            OutgoingCrop crop = new OutgoingCrop(stores.get(s), "cam-1", now.minusMillis(n - i), seqBase + i, 0,
                    c.detScore(), c.quality(), FaceCropper.detectorModel(), CollectorVersion.get(), c.jpeg());
            outboxes.get(s).send(List.of(crop));
        }
    }

    /** The server's {@code rva.crops} queue through WildFly's HTTP management API (digest authentication). */
    private static final class Management {
        private final String url;

        Management(String url, String user, String password) {
            this.url = url;
            Authenticator.setDefault(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password.toCharArray());
                }
            });
        }

        /** The server JVM's process id (its runtime MXBean's name is {@code pid@host}), or -1. */
        long serverPid() throws IOException {
            String body = post("{\"operation\":\"read-attribute\",\"name\":\"name\",\"address\":[{\"core-service\":"
                    + "\"platform-mbean\"},{\"type\":\"runtime\"}],\"json.pretty\":0}");
            Matcher m = Pattern.compile("\"result\"\\s*:\\s*\"(\\d+)@").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        void pause() throws IOException {
            call(QUEUE, "{\"operation\":\"pause\"", "");
        }

        void resume() throws IOException {
            call(QUEUE, "{\"operation\":\"resume\"", "");
        }

        long count(String queue) throws IOException {
            String body = call(queue, "{\"operation\":\"read-attribute\",\"name\":\"message-count\","
                    + "\"include-runtime\":true", "");
            Matcher m = RESULT.matcher(body);
            if (!m.find()) {
                throw new IOException("unexpected management answer: " + body);
            }
            return Long.parseLong(m.group(1));
        }

        /** No crop was rejected or dead-lettered (the bench runs on its own database). */
        void expectEmpty() throws IOException {
            for (String q : List.of("rva.crops.rejected", "rva.crops.dlq")) {
                long n = count(q);
                if (n != 0) {
                    throw new IllegalStateException(n + " message(s) in " + q + ": the server refused or failed crops;"
                            + " see the server log");
                }
            }
        }

        /**
         * Waits until the queue that held {@code crops} messages is empty. The server answers every poll (two
         * authenticated management requests) on the cores it ingests on — 10 polls a second cost it ≈ 1 ms of CPU per
         * crop — so polls are spaced by the time the rest should take at the rate seen so far (at most 1 s, at least
         * 50 ms apart), and come 20 times a second near the end: the end is seen at most ≈ 50 ms late.
         */
        void drain(long crops, int timeoutSeconds) throws IOException, InterruptedException {
            long start = System.nanoTime();
            long deadline = start + timeoutSeconds * 1_000_000_000L;
            long n;
            while ((n = count(QUEUE)) != 0) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new IllegalStateException("the server queue holds " + n + " message(s), not 0, after "
                            + timeoutSeconds + " s");
                }
                long done = crops - n;
                long rest = done <= 0 ? 100_000_000L : (now - start) / done * n;
                Thread.sleep(Math.max(50, Math.min(1_000, rest / 2 / 1_000_000L)));
            }
        }

        void awaitCount(long expected, int timeoutSeconds) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            long n;
            while ((n = count(QUEUE)) != expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server queue holds " + n + " message(s), not " + expected
                            + ", after " + timeoutSeconds + " s");
                }
                // every poll is two authenticated management requests (digest challenge, then the call) that the server
                // answers on the cores it ingests on: 10 polls a second, not 50; the end is seen at most 0.1 s late
                Thread.sleep(100);
            }
        }

        private String call(String queue, String operation, String extra) throws IOException {
            String json = operation + extra + ",\"address\":[{\"subsystem\":\"messaging-activemq\"},"
                    + "{\"server\":\"default\"},{\"jms-queue\":\"" + queue + "\"}],\"json.pretty\":0}";
            return post(json);
        }

        private String post(String json) throws IOException {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream os = c.getOutputStream()) {
                os.write(json.getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (status != 200 || !body.contains("\"success\"")) {
                    throw new IOException("management call " + json + " answered " + status + ": " + body);
                }
                return body;
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (" + USAGE + ")");
            }
            if (a.contains("=")) {
                o.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                o.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value (" + USAGE + ")");
            }
        }
        List<String> known = List.of("--faces", "--crops", "--server", "--management", "--management-user",
                "--management-password-file", "--credentials", "--stores", "--state", "--rounds", "--warm-up", "--max-warm-up",
                "--server-log");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown option '" + k + "' (" + USAGE + ")");
            }
        }
        return o;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + name + " (" + USAGE + ")");
        }
        return v;
    }
}
