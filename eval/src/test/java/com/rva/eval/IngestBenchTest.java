package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        IngestBench.printThreadBreakdown(before, after, 2, new java.io.PrintStream(text, true));
        // per crop: the JIT 10 ms / 2 crops, the two GC threads (2 + 2 ms) / 2 crops, largest first
        assertEquals("server CPU by thread kind (ms per crop, threads): C# CompilerThre 5.00 (1); GC Thread## 2.00 (2);"
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
