package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rva.application.ingest.IngestMetrics;
import com.rva.application.ingest.IngestResult;
import com.rva.recognition.OrtOptimisation;

class IngestBenchTest {

    @Test
    void theBareLoopRunsTheLevelOfTheServersLastLoadedEmbedder(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, """
                2026-11-30 05:27:54,003 INFO  [com.rva.recognition.OnnxEmbedder] (T) Loaded face model fr_feature-1 (512-d, ONNX Runtime, NO_OPT calibrated, 1 intra-op thread(s)) in 11784 ms
                2026-11-30 05:39:03,853 INFO  [com.rva.recognition.OnnxEmbedder] (T) Loaded face model fr_feature-1 (512-d, ONNX Runtime, ALL_OPT as configured, 1 intra-op thread(s)) in 154 ms
                """);
        assertEquals(Optional.of(OrtOptimisation.ALL_OPT), IngestBench.serverEmbedderLevel(log));

        Files.writeString(log, "no embedder here\n");
        assertEquals(Optional.empty(), IngestBench.serverEmbedderLevel(log));
    }

    @Test
    void theServersEmbeddingCpuIsReadFromItsThroughputLinesAfterTheTimedPhaseBegan(@TempDir Path dir) throws Exception {
        // the lines as the server's IngestMetrics writes them: 100 crops at 6.0 ms, then 100 at 5.0
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add("2026-11-30 18:00:00,000 INFO  [" + r.getLoggerName() + "] (Thread-1) " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger metrics = Logger.getLogger(IngestMetrics.class.getName());
        metrics.addHandler(capture);
        try {
            for (long cpu : new long[] {6_000_000L, 5_000_000L}) {
                for (int i = 0; i < 100; i++) {
                    IngestMetrics.ingested(IngestResult.Outcome.ATTACHED, 7_000_000L, cpu, 8_000_000L, () -> 10);
                }
            }
        } finally {
            metrics.removeHandler(capture);
        }
        assertEquals(2, lines.size(), "one throughput line per 100 crops: " + lines);
        Path log = dir.resolve("server.log");
        Files.writeString(log, lines.get(0) + "\n");
        long timedPhaseBegan = Files.size(log);
        Files.writeString(log, lines.get(1) + "\n", StandardOpenOption.APPEND);

        assertEquals(5.0, IngestBench.serverEmbedCpuMs(log, timedPhaseBegan).orElseThrow(), 1e-9);
        assertEquals(5.5, IngestBench.serverEmbedCpuMs(log, 0).orElseThrow(), 1e-9);
        assertEquals(OptionalDouble.empty(), IngestBench.serverEmbedCpuMs(log, Files.size(log)));
    }

    @Test
    void processCpuTimeIsReadFromProcOnLinux() {
        OptionalLong own = IngestBench.processCpuNanos(ProcessHandle.current().pid());
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            assertTrue(own.isPresent() && own.getAsLong() > 0, "this JVM has used CPU: " + own);
        }
        assertEquals(OptionalLong.empty(), IngestBench.processCpuNanos(-1));
        assertEquals(OptionalLong.empty(), IngestBench.processCpuNanos(Long.MAX_VALUE), "no such process");
    }

    @Test
    void threadCpuIsReadPerThreadAndGroupedByKind() {
        var own = IngestBench.threadCpuNanos(ProcessHandle.current().pid());
        if (Files.isReadable(Path.of("/proc/self/task"))) {
            assertTrue(own.size() > 1, "a JVM has several threads: " + own);
            assertTrue(own.values().stream().anyMatch(t -> IngestBench.isJitThread(t.name())), "HotSpot names its"
                    + " JIT threads: " + own.values());
        }
        assertTrue(IngestBench.threadCpuNanos(-1).isEmpty());

        var before = java.util.Map.of(1L, new IngestBench.ThreadCpu("GC Thread#0", 1_000_000L),
                3L, new IngestBench.ThreadCpu("C2 CompilerThre", 0L));
        var after = java.util.Map.of(1L, new IngestBench.ThreadCpu("GC Thread#0", 3_000_000L),
                2L, new IngestBench.ThreadCpu("GC Thread#1", 2_000_000L),
                3L, new IngestBench.ThreadCpu("C2 CompilerThre", 10_000_000L));
        var text = new java.io.ByteArrayOutputStream();
        var used = new java.util.HashMap<Long, IngestBench.ThreadCpu>();
        IngestBench.addCpu(used, before, after);
        IngestBench.printThreadBreakdown("server CPU", used, 2, new java.io.PrintStream(text, true));
        // per crop: the JIT 10 ms / 2 crops, the two GC threads (2 + 2 ms) / 2 crops, largest first
        assertEquals("server CPU by thread kind (ms per crop, threads): C# CompilerThre 5.00 (1); GC Thread## 2.00 (2);"
                + System.lineSeparator(), text.toString());
        // a second round adds to the first: GC Thread#0 2 ms, then 1 ms more
        IngestBench.addCpu(used, after, java.util.Map.of(1L, new IngestBench.ThreadCpu("GC Thread#0", 4_000_000L)));
        assertEquals(3_000_000L, used.get(1L).nanos());

        // names cut to 15 characters by the kernel: one kind, whatever the digits took; a short name stays its own
        var artemis = java.util.Map.of(4L, new IngestBench.ThreadCpu("Thread-9 (Activ", 6_000_000L),
                5L, new IngestBench.ThreadCpu("Thread-19 (Acti", 4_000_000L),
                6L, new IngestBench.ThreadCpu("Thread-123 (Act", 2_000_000L),
                7L, new IngestBench.ThreadCpu("Thread-7", 1_000_000L));
        text.reset();
        IngestBench.printThreadBreakdown("server CPU", artemis, 2, new java.io.PrintStream(text, true));
        assertEquals("server CPU by thread kind (ms per crop, threads): Thread-# (Act 6.00 (3); Thread-# 0.50 (1);"
                + System.lineSeparator(), text.toString());
    }

    @Test
    void cpuBetweenCountsOnlyTheThreadsOfOneKindAndNewThreadsFromZero() {
        var before = java.util.Map.of(1L, new IngestBench.ThreadCpu("C2 CompilerThre", 4_000_000L),
                2L, new IngestBench.ThreadCpu("GC Thread#0", 1_000_000L),
                // thread id 3 ended and its id was given to a thread of another name: counted from zero
                3L, new IngestBench.ThreadCpu("C1 CompilerThre", 9_000_000L));
        var after = java.util.Map.of(1L, new IngestBench.ThreadCpu("C2 CompilerThre", 10_000_000L),
                2L, new IngestBench.ThreadCpu("GC Thread#0", 3_000_000L),
                3L, new IngestBench.ThreadCpu("Thread-3 (Activ", 5_000_000L),
                4L, new IngestBench.ThreadCpu("C1 CompilerThre", 1_000_000L));
        assertEquals(7_000_000L, IngestBench.cpuBetween(before, after, IngestBench::isJitThread));
        assertEquals(14_000_000L, IngestBench.cpuBetween(before, after, n -> true));
        assertEquals(0L, IngestBench.cpuBetween(before, java.util.Map.of(), n -> true));
    }
}
