package com.rva.collector;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import com.rva.collector.config.CameraSettings;
import com.rva.collector.config.CollectorSettings;
import com.rva.collector.send.Outbox;
import com.rva.collector.source.Frame;
import com.rva.collector.source.FrameSource;
import com.rva.collector.state.FrameSeqStore;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.FrameDecodeException;
import com.rva.collector.vision.OpenCvNatives;
import com.rva.collector.vision.QualityGate;

/**
 * {@code ./rva bench edge}: what the collector costs per frame and in memory.
 * <ul>
 * <li>Pipeline: the collector's own code path for a frame — {@link CameraWorker} (decode, YuNet detect, quality
 * gate, alignment, JPEG crops) handing frames to a {@link FrameCommitter} (frame numbers, one transaction per
 * batch of frames into a real {@link Outbox}: embedded broker, persistent journal synced on every commit, its
 * bridge pointing at an unreachable server so crops stay in the outbox). A pass ends when its last frame's crops
 * are stored.</li>
 * <li>Baseline: decode + YuNet detect alone ({@link FaceCropper#detectOnly}) on the same frames.</li>
 * </ul>
 * Frames are the photos of a folder (any depth) scaled so the long side is {@value #FRAME_SIDE} px and JPEG-encoded
 * in memory, as a store camera's snapshot. OpenCV runs on one thread ({@code ./rva bench edge} also pins the
 * process to one CPU with {@code taskset} when it can): frames/s are per core. After a warm-up, timed passes
 * alternate baseline and pipeline; each time is the median of the passes, the ratio the median of the passes'
 * own ratios (baseline and pipeline of one pass run back to back, so drifting machine load cancels out).
 * <p>
 * Memory: a real collector process ({@link EdgeCollectorMain} with the distribution's JVM options,
 * {@link EdgeCollectorMain#JVM_OPTIONS})
 * is started on a folder camera holding the same frames; once it has taken them all, its {@code VmHWM} (peak
 * resident set) and {@code VmRSS} are read from {@code /proc/PID/status}.
 * <p>
 * Last line: {@code BENCH edge frames=… pipeline_ms=… detect_ms=… ratio=… fps_1core=… rss_mb=… cpu_ratio=…}
 * (ratio = pipeline / detect per pass, median; goal ≤ 1.1; rss_mb = VmHWM, goal ≤ 300; cpu_ratio = the process's
 * CPU time over the timed pipeline passes / over the timed detect passes, each pass's own ratio printed too). On a
 * machine where other processes compete for the pinned core, judge the goal by {@code cpu_ratio}: the wall-clock
 * ratio is biased low there, because the pipeline has two runnable threads (camera and committer) and the
 * scheduler gives it a larger share of the core than the one-thread detect pass.
 */
public final class EdgeBench {

    static final int FRAME_SIDE = 640;
    static final int DEFAULT_FRAMES = 200;
    static final int DEFAULT_PASSES = 5;
    /** Untimed passes of both paths first (as JMH's warm-up iterations): JIT, outbox journal, broker pools. */
    static final int DEFAULT_WARMUP = 5;
    private static final String USAGE = "usage: rva bench edge [--faces DIR] [--frames N] [--passes N] [--warmup N] [--no-rss] [--jfr FILE]";

    private EdgeBench() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("rva bench edge: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("rva bench edge failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Path faces = Path.of("..", "shared", "faces");
        int n = DEFAULT_FRAMES;
        int passes = DEFAULT_PASSES;
        int warmup = DEFAULT_WARMUP;
        boolean rss = true;
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value = null;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (List.of("--faces", "--frames", "--passes", "--warmup", "--jfr").contains(a) && i + 1 < args.length) {
                value = args[++i];
            }
            switch (name) {
                case "--faces" -> faces = Path.of(require(a, value));
                case "--frames" -> n = positive(a, require(a, value));
                case "--passes" -> passes = positive(a, require(a, value));
                case "--warmup" -> warmup = positive(a, require(a, value));
                case "--no-rss" -> rss = false;
                case "--jfr" -> jfr = Path.of(require(a, value));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (" + USAGE + ")");
            }
        }
        if (!Files.isDirectory(faces)) {
            throw new IllegalArgumentException("the photo folder " + faces.toAbsolutePath().normalize()
                    + " is missing (give one with --faces DIR)");
        }
        OpenCvNatives.load();
        Core.setNumThreads(1);
        List<byte[]> frames = frames(faces, n);
        out.printf(Locale.ROOT, "rva bench edge: %d frames of %s at %d px (JPEG, %d kB on average); OpenCV on 1 thread;"
                + " %d timed pass(es) after %d warm-up pass(es) of both paths; %d CPU(s) visible, load average %.2f%n",
                frames.size(), faces, FRAME_SIDE, frames.stream().mapToInt(f -> f.length).sum() / 1024 / frames.size(),
                passes, warmup,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        out.println(jitSetting());

        Path work = Files.createTempDirectory("rva-bench-edge");
        try {
            FaceCropper cropper = new FaceCropper(QualityGate.defaults());
            double[] detectMs = new double[passes];
            double[] pipelineMs = new double[passes];
            long faceCount = 0;
            String breakdown;
            double cpuRatio;
            try (FrameSeqStore seq = new FrameSeqStore(work.resolve("state"));
                    Outbox outbox = new Outbox(work.resolve("outbox"), "tcp://127.0.0.1:9?httpUpgradeEnabled=true",
                            "bench", "bench", true,
                            CollectorSettings.DEFAULT_OUTBOX_MAX_MB * 1024L * 1024L)) { // the collector's default cap
                MemoryFrames source = new MemoryFrames(frames);
                FrameCommitter committer = new FrameCommitter("store_bench", seq, outbox);
                try {
                    CameraWorker worker = new CameraWorker(new CameraSettings("cam-1", null, null, null, null,
                            Duration.ofSeconds(10)), source, cropper, committer);
                    // warm-up (untimed, as JMH's warm-up iterations): both whole paths over every frame, so the
                    // JIT has compiled the camera code, the committer, the JMS client and the broker (journal,
                    // in-VM transport, bridge retries) before the timed passes; what is left is steady state
                    for (int w = 0; w < warmup; w++) {
                        faceCount = detectPass(cropper, frames);
                        bookkeeping();
                        pipelinePass(worker, committer);
                        bookkeeping();
                    }
                    jdk.jfr.Recording recording = jfr == null ? null : startRecording();
                    Map<FaceCropper.Stage, Long> stages0 = cropper.stageNanos();
                    FrameCommitter.Times times0 = committer.times();
                    long[] cpu = new long[3];
                    double[] cpuRatios = new double[passes];
                    Map<String, Long> detectThreads = new java.util.HashMap<>();
                    Map<String, Long> pipelineThreads = new java.util.HashMap<>();
                    long[] jvm = new long[4]; // JIT ms and GC ms: detect, pipeline
                    for (int p = 0; p < passes; p++) {
                        Map<String, Long> threads0 = threadCpu();
                        long jit0 = jitMillis();
                        long gc0 = gcMillis();
                        long detect0 = processCpuNanos();
                        long t0 = System.nanoTime();
                        detectPass(cropper, frames);
                        detectMs[p] = (System.nanoTime() - t0) / 1e6 / frames.size();
                        long detectCpu = processCpuNanos() - detect0;
                        jvm[0] += jitMillis() - jit0;
                        jvm[1] += gcMillis() - gc0;
                        cpu[2] += detectCpu;
                        Map<String, Long> threads1 = threadCpu();
                        add(detectThreads, threads0, threads1);
                        long jit1 = jitMillis();
                        long gc1 = gcMillis();
                        long process0 = processCpuNanos();
                        long thread0 = THREADS.getCurrentThreadCpuTime();
                        long t1 = System.nanoTime();
                        pipelinePass(worker, committer);
                        pipelineMs[p] = (System.nanoTime() - t1) / 1e6 / frames.size();
                        cpu[0] += THREADS.getCurrentThreadCpuTime() - thread0;
                        long pipelineCpu = processCpuNanos() - process0;
                        jvm[2] += jitMillis() - jit1;
                        jvm[3] += gcMillis() - gc1;
                        cpu[1] += pipelineCpu;
                        cpuRatios[p] = (double) pipelineCpu / detectCpu;
                        add(pipelineThreads, threads1, threadCpu());
                    }
                    if (recording != null) {
                        recording.stop();
                        recording.dump(jfr);
                        recording.close();
                        out.println("JFR recording of the timed passes: " + jfr.toAbsolutePath());
                    }
                    long timed = (long) passes * frames.size();
                    cpuRatio = cpu[2] > 0 ? (double) cpu[1] / cpu[2] : Double.NaN;
                    breakdown = breakdown(stages0, cropper.stageNanos(), times0, committer.times(), timed)
                            + String.format(Locale.ROOT, "CPU (ms per frame): pipeline: camera thread %.2f, whole"
                                    + " process %.2f (the rest: committer, broker threads, GC); detect only: whole"
                                    + " process %.2f%n", cpu[0] / 1e6 / timed, cpu[1] / 1e6 / timed,
                                    cpu[2] / 1e6 / timed)
                            + threadTable(detectThreads, cpu[2], pipelineThreads, cpu[1], timed)
                            + String.format(Locale.ROOT, "JVM bookkeeping (ms per frame, from its MXBeans): JIT"
                                    + " compilation detect %.2f / pipeline %.2f; GC pauses detect %.2f / pipeline"
                                    + " %.2f%n", (double) jvm[0] / timed, (double) jvm[2] / timed,
                                    (double) jvm[1] / timed, (double) jvm[3] / timed)
                            + "CPU ratio per pass: " + list(cpuRatios) + "\n";
                    if (worker.badFrames.get() > 0 || worker.outboxFailures.get() > 0) {
                        throw new IllegalStateException(worker.badFrames.get() + " bad frame(s), "
                                + worker.outboxFailures.get() + " outbox failure(s): the pipeline did not run as it"
                                + " should");
                    }
                    out.printf(Locale.ROOT, "pipeline: %d frames, %d crops enqueued in the outbox (YuNet finds %d"
                            + " faces per pass; faces the quality gate stops are not enqueued)%n", worker.frames.get(),
                            outbox.enqueued(), faceCount);
                } finally {
                    committer.close();
                }
            }
            double detect = median(detectMs);
            double pipeline = median(pipelineMs);
            // each pass times detect and then the pipeline right after it: the ratio within a pass cancels the
            // machine's load drifting between passes, so the reported ratio is the median of the passes' ratios
            double[] ratios = new double[passes];
            for (int p = 0; p < passes; p++) {
                ratios[p] = pipelineMs[p] / detectMs[p];
            }
            double ratio = median(ratios);
            out.printf(Locale.ROOT, "detect only (decode + YuNet): %.2f ms/frame (passes %s)%n", detect, list(detectMs));
            out.printf(Locale.ROOT, "pipeline (decode + YuNet + gate + align + JPEG + outbox commit): %.2f ms/frame"
                    + " (passes %s)%n", pipeline, list(pipelineMs));
            out.print(breakdown);
            out.printf(Locale.ROOT, "ratio pipeline / detect = %.3f (median of the passes' ratios %s; goal <= 1.1);"
                    + " %.1f frames/s on one core%n", ratio, list(ratios), 1000 / pipeline);

            String rssMb = "skipped";
            if (rss) {
                long[] kb = collectorMemory(work, frames, out);
                rssMb = String.format(Locale.ROOT, "%.1f", kb[0] / 1024.0);
                out.printf(Locale.ROOT, "collector process: VmHWM %.1f MB (peak), VmRSS %.1f MB after %d frames (goal <="
                        + " 300 MB)%n", kb[0] / 1024.0, kb[1] / 1024.0, frames.size());
            }
            out.printf(Locale.ROOT, "load average at the end: %.2f%n", loadAverage());
            out.printf(Locale.ROOT, "ratio of the process's CPU time, pipeline / detect = %.3f (less sensitive to other"
                    + " processes on the core than the wall-clock ratio)%n", cpuRatio);
            out.printf(Locale.ROOT, "BENCH edge frames=%d pipeline_ms=%.3f detect_ms=%.3f ratio=%.3f fps_1core=%.1f"
                    + " rss_mb=%s cpu_ratio=%.3f%n", frames.size(), pipeline, detect, ratio, 1000 / pipeline, rssMb,
                    cpuRatio);
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * One pass of the collector's path: the camera thread analyses every frame and hands it over, then the pass
     * waits until the committer has stored the last one (a pass ends when its crops are safe, as in the collector).
     */
    private static void pipelinePass(CameraWorker worker, FrameCommitter committer) throws InterruptedException {
        worker.tick();
        if (!committer.awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException(committer.pendingFrames() + " frame(s) not stored after 5 minutes");
        }
    }

    /**
     * {@code --jfr FILE}: a flight recording of the timed passes only (after the warm-up): the JDK's "profile"
     * settings plus every compilation (no duration threshold), deoptimization and class definition, to see what the
     * JIT keeps compiling and why.
     */
    private static jdk.jfr.Recording startRecording() throws IOException, java.text.ParseException {
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        r.enable("jdk.Deoptimization").withStackTrace();
        r.enable("jdk.ClassDefine").withStackTrace();
        r.enable("jdk.ClassLoad").withThreshold(Duration.ZERO).withStackTrace();
        r.enable("jdk.CompilerInlining");
        r.setName("rva-bench-edge");
        r.start();
        return r;
    }

    /**
     * The readings taken between timed passes, also taken between warm-up passes: otherwise the JIT compiles the
     * bench's own bookkeeping (thread-name regexes, MXBeans) in the background during the timed passes.
     */
    private static void bookkeeping() {
        threadCpu();
        jitMillis();
        gcMillis();
        processCpuNanos();
        THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Which JIT this JVM runs with, against the collector's ({@link EdgeCollectorMain#JVM_OPTIONS}, which
     * {@code ./rva bench edge} passes on): the figures are the collector's only with the collector's JIT.
     */
    static String jitSetting() {
        String wanted = EdgeCollectorMain.JVM_OPTIONS.stream().filter(o -> o.startsWith("-XX:TieredStopAtLevel="))
                .map(o -> o.substring(o.indexOf('=') + 1)).findFirst().orElse("4");
        String actual = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("TieredStopAtLevel").getValue();
        return actual.equals(wanted)
                ? "JIT: TieredStopAtLevel=" + actual + " (as bin/edge-collector starts the collector)"
                : "JIT: TieredStopAtLevel=" + actual + " -- NOT the collector's (bin/edge-collector starts it with "
                        + String.join(" ", EdgeCollectorMain.JVM_OPTIONS) + "); the figures are not the collector's";
    }

    /** Where a timed pipeline frame's time went, per stage (ms per frame). */
    static String breakdown(Map<FaceCropper.Stage, Long> before, Map<FaceCropper.Stage, Long> after,
            FrameCommitter.Times t0, FrameCommitter.Times t1, long frames) {
        StringBuilder b = new StringBuilder("stages (ms per frame): camera thread");
        for (FaceCropper.Stage st : FaceCropper.Stage.values()) {
            b.append(String.format(Locale.ROOT, " %s=%.2f", st.name().toLowerCase(Locale.ROOT),
                    (after.get(st) - before.get(st)) / 1e6 / frames));
        }
        b.append(String.format(Locale.ROOT, " submit_wait=%.2f; committer thread (overlaps the camera thread)"
                + " frame_seq=%.2f outbox_commit=%.2f done=%.2f, %d transaction(s) for %d frames (%.1f frames"
                + " each); committer CPU frame_seq=%.2f outbox_commit=%.2f%n", (t1.submitWaitNanos() - t0.submitWaitNanos()) / 1e6 / frames,
                (t1.seqNanos() - t0.seqNanos()) / 1e6 / frames, (t1.outboxNanos() - t0.outboxNanos()) / 1e6 / frames,
                (t1.doneNanos() - t0.doneNanos()) / 1e6 / frames, t1.batches() - t0.batches(),
                t1.frames() - t0.frames(), (double) (t1.frames() - t0.frames()) / Math.max(1, t1.batches()
                        - t0.batches()), (t1.seqCpuNanos() - t0.seqCpuNanos()) / 1e6 / frames,
                (t1.outboxCpuNanos() - t0.outboxCpuNanos()) / 1e6 / frames));
        return b.toString();
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of every live thread, by name (threads of one name summed). */
    private static Map<String, Long> threadCpu() {
        Map<String, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                long ns = THREADS.getThreadCpuTime(t.getThreadId());
                if (ns > 0) {
                    // "Thread-3 (ActiveMQ-server-…)" and "pool-1-thread-2": one line per kind of thread
                    String name = t.getThreadName().replaceFirst("^Thread-\\d+ \\((.*)\\)$", "$1");
                    cpu.merge(name.replaceAll("[-#]?\\d+$", ""), ns, Long::sum);
                }
            }
        }
        return cpu;
    }

    private static void add(Map<String, Long> sum, Map<String, Long> before, Map<String, Long> after) {
        after.forEach((name, ns) -> sum.merge(name, ns - before.getOrDefault(name, 0L), Long::sum));
    }

    /**
     * CPU per kind of thread during the detect passes and during the pipeline passes side by side (ms per frame):
     * the pipeline's excess over detection, thread kind by thread kind. "JVM threads" is the process's CPU minus
     * every Java thread's (JIT compilers, GC, which {@code ThreadMXBean} does not list).
     */
    static String threadTable(Map<String, Long> detect, long detectProcess, Map<String, Long> pipeline,
            long pipelineProcess, long frames) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "CPU by kind of thread (ms per frame):%n  %-74s %8s %8s %8s%n", "thread", "detect", "pipeline",
                "excess"));
        java.util.Set<String> names = new java.util.HashSet<>(pipeline.keySet());
        names.addAll(detect.keySet());
        List<String> sorted = names.stream()
                .sorted(Comparator.comparing((String n) -> pipeline.getOrDefault(n, 0L)).reversed()).toList();
        long otherDetect = 0;
        long otherPipeline = 0;
        for (String n : sorted) {
            long d = detect.getOrDefault(n, 0L);
            long p = pipeline.getOrDefault(n, 0L);
            if (Math.max(d, p) / 1e6 / frames < 0.005) {
                otherDetect += d;
                otherPipeline += p;
                continue;
            }
            b.append(row(n, d, p, frames));
        }
        b.append(row("other Java threads", otherDetect, otherPipeline, frames));
        long javaDetect = detect.values().stream().mapToLong(Long::longValue).sum();
        long javaPipeline = pipeline.values().stream().mapToLong(Long::longValue).sum();
        b.append(row("JVM threads (JIT compilers, GC)", Math.max(0, detectProcess - javaDetect),
                Math.max(0, pipelineProcess - javaPipeline), frames));
        b.append(row("whole process", detectProcess, pipelineProcess, frames));
        return b.toString();
    }

    private static String row(String name, long detect, long pipeline, long frames) {
        String shown = name.length() > 74 ? name.substring(0, 71) + "..." : name;
        return String.format(Locale.ROOT, "  %-74s %8.2f %8.2f %+8.2f%n", shown, detect / 1e6 / frames,
                pipeline / 1e6 / frames, (pipeline - detect) / 1e6 / frames);
    }

    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long detectPass(FaceCropper cropper, List<byte[]> frames) throws FrameDecodeException {
        long faces = 0;
        for (byte[] f : frames) {
            Mat frame = FaceCropper.decode(f);
            try {
                faces += cropper.detectOnly(frame);
            } finally {
                frame.release();
            }
        }
        return faces;
    }

    /**
     * Starts a real collector on a folder camera holding the frames (its server unreachable: the crops stay in its
     * outbox), waits until it has taken every frame, and reads its VmHWM and VmRSS in kB.
     */
    static long[] collectorMemory(Path work, List<byte[]> frames, PrintStream out) throws Exception {
        Path folder = Files.createDirectories(work.resolve("camera"));
        Path state = Files.createDirectories(work.resolve("collector-state"));
        Path config = work.resolve("collector.properties");
        Files.writeString(config, String.join("\n",
                "store.id=store_bench",
                "server.url=tcp://127.0.0.1:9?httpUpgradeEnabled=true",
                "server.user=bench",
                "server.password=bench",
                "cameras=cam-1",
                "camera.cam-1.source=folder:" + folder,
                "camera.cam-1.interval-seconds=1",
                "http.port=0",
                "state.dir=" + state, ""));
        for (int i = 0; i < frames.size(); i++) {
            Path tmp = work.resolve(String.format(Locale.ROOT, "frame-%05d.jpg.part", i));
            Files.write(tmp, frames.get(i));
            Files.move(tmp, folder.resolve(String.format(Locale.ROOT, "frame-%05d.jpg", i)));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = work.resolve("collector.log");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(EdgeCollectorMain.JVM_OPTIONS); // as bin/edge-collector starts it
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EdgeCollectorMain.class.getName(),
                "--config=" + config));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (remaining(folder) > 0) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the collector exited (" + p.exitValue() + "): "
                            + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the collector left " + remaining(folder) + " frame(s) after 10"
                            + " minutes: " + tail(log));
                }
                Thread.sleep(200);
            }
            Thread.sleep(500); // the last frame's crops are committed before its file is deleted; let it settle
            Map<String, Long> status = procStatus(p.pid());
            return new long[] {status.get("VmHWM"), status.get("VmRSS")};
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static long remaining(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    /** {@code VmHWM} and {@code VmRSS} of a Linux process, in kB. */
    static Map<String, Long> procStatus(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            throw new IllegalStateException(status + " is not readable: the memory figure needs Linux /proc");
        }
        Map<String, Long> kb = new java.util.HashMap<>();
        for (String line : Files.readAllLines(status)) {
            for (String key : List.of("VmHWM", "VmRSS")) {
                if (line.startsWith(key + ":")) {
                    kb.put(key, Long.parseLong(line.replaceAll("\\D+", "")));
                }
            }
        }
        if (kb.size() != 2) {
            throw new IllegalStateException(status + " lacks VmHWM or VmRSS");
        }
        return kb;
    }

    /** Up to {@code n} photos of the folder (sorted, any depth), long side scaled to {@value #FRAME_SIDE} px, JPEG. */
    static List<byte[]> frames(Path dir, int n) throws IOException {
        List<Path> photos;
        try (Stream<Path> s = Files.walk(dir)) {
            photos = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|bmp)"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<byte[]> frames = new ArrayList<>();
        for (Path photo : photos) {
            if (frames.size() == n) {
                break;
            }
            Mat image = Imgcodecs.imread(photo.toString(), Imgcodecs.IMREAD_COLOR);
            if (image.empty()) {
                continue;
            }
            Mat scaled = new Mat();
            MatOfByte jpeg = new MatOfByte();
            MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90);
            try {
                double f = (double) FRAME_SIDE / Math.max(image.cols(), image.rows());
                Imgproc.resize(image, scaled, new Size(Math.round(image.cols() * f), Math.round(image.rows() * f)), 0, 0,
                        f < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
                Imgcodecs.imencode(".jpg", scaled, jpeg, params);
                frames.add(jpeg.toArray());
            } finally {
                image.release();
                scaled.release();
                jpeg.release();
                params.release();
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no photo OpenCV can read");
        }
        return frames;
    }

    /** The same frames at every poll: the worker takes them all at each tick. */
    private static final class MemoryFrames implements FrameSource {
        private final List<byte[]> frames;

        MemoryFrames(List<byte[]> frames) {
            this.frames = frames;
        }

        @Override
        public List<Frame> poll() {
            Instant now = Instant.now();
            List<Frame> out = new ArrayList<>(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                byte[] bytes = frames.get(i);
                out.add(Frame.inMemory("frame-" + i, now, bytes));
            }
            return out;
        }

        @Override
        public String describe() {
            return "memory (" + frames.size() + " frames)";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String list(double[] ms) {
        StringBuilder b = new StringBuilder();
        for (double m : ms) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", m));
        }
        return b.toString();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String require(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value (" + USAGE + ")");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a whole number of at least 1, not '" + value + "'");
    }
}
