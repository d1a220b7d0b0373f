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
}
