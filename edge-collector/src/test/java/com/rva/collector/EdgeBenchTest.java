package com.rva.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rva bench edge} on a tiny configuration (3 real photos, 1 pass): both paths run over the same frames,
 * crops land in the outbox, a real collector process takes the frames and its memory is read from /proc, and
 * the last line is machine-readable and consistent. No timing assertion: speed is what the printed ratio reports.
 */
class EdgeBenchTest {

    private static final Pattern BENCH = Pattern.compile("BENCH edge frames=3 pipeline_ms=(\\d+\\.\\d{3})"
            + " detect_ms=(\\d+\\.\\d{3}) ratio=(\\d+\\.\\d{3}) fps_1core=(\\d+\\.\\d) rss_mb=(\\d+\\.\\d)"
            + " cpu_ratio=(\\d+\\.\\d{3})");

    @TempDir
    Path empty;

    @Test
    void tinyRunMeasuresBothPathsAndARealCollectorsMemory() throws Exception {
        Path faces = SharedFaces.dir();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path jfr = empty.resolve("timed.jfr");
        int status = EdgeBench.run(new String[] {"--faces", faces.toString(), "--frames=3", "--passes", "1",
                "--warmup=1", "--jfr", jfr.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertEquals(0, status);
        String[] lines = output.strip().split("\\R");
        assertTrue(lines[0].startsWith("rva bench edge: 3 frames of "), lines[0]);
        assertTrue(output.contains("pipeline: 6 frames, "), "warm-up and one timed pass through the worker: " + output);
        Matcher enqueued = Pattern.compile("pipeline: 6 frames, (\\d+) crops enqueued").matcher(output);
        assertTrue(enqueued.find() && Integer.parseInt(enqueued.group(1)) >= 2, "crops reached the outbox: " + output);
        Matcher b = BENCH.matcher(lines[lines.length - 1]);
        assertTrue(b.matches(), "last line: " + lines[lines.length - 1]);
        double pipeline = Double.parseDouble(b.group(1));
        double detect = Double.parseDouble(b.group(2));
        assertEquals(pipeline / detect, Double.parseDouble(b.group(3)), 0.002, "one pass: its ratio is the ratio");
        assertEquals(1000 / pipeline, Double.parseDouble(b.group(4)), 0.06);
        double rss = Double.parseDouble(b.group(5));
        assertTrue(rss > 20 && rss < 4096, "a JVM's peak resident set in MB: " + rss);
        double cpuRatio = Double.parseDouble(b.group(6));
        assertTrue(cpuRatio > 0.3 && cpuRatio < 20, "the pipeline does at least the detection's work: " + cpuRatio);
        assertTrue(output.contains("stages (ms per frame): camera thread decode="), "the per-stage breakdown: " + output);
        assertTrue(lines[1].startsWith("JIT: TieredStopAtLevel="), "which JIT the figures are for: " + lines[1]);
        // --jfr: a recording of the timed passes only, with every compilation in it
        assertTrue(output.contains("JFR recording of the timed passes: " + jfr.toAbsolutePath()), output);
        assertTrue(jdk.jfr.consumer.RecordingFile.readAllEvents(jfr).stream()
                .anyMatch(e -> e.getEventType().getName().equals("jdk.ClassLoad")
                        || e.getEventType().getName().equals("jdk.Compilation")
                        || e.getEventType().getName().equals("jdk.CPULoad")), "events recorded in " + jfr);
    }

    @Test
    void missingFolderAndBadOptionsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EdgeBench.run(new String[] {"--faces", empty.resolve("none").toString()}, System.out));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EdgeBench.run(new String[] {"--frames=0"}, System.out));
        assertTrue(e.getMessage().contains("--frames"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EdgeBench.run(new String[] {"--crops=3"}, System.out));
        assertTrue(e.getMessage().contains("unknown option"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EdgeBench.run(new String[] {"--faces", empty.toString()},
                System.out));
        assertTrue(e.getMessage().contains("no photo"), e.getMessage());
    }
}
