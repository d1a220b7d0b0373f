package com.rva.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs the README's {@code ./rva bench ingest} for real at a tiny size: its own WildFly (H2, as the demo starts
 * it) on shifted ports beside the in-server tests, 12 crops through the collector's outbox, JMS, the MDB and the
 * database, then the bare embedder loop; the last line is machine-readable and the server is stopped. No speed
 * assertion: the ratio is what the command reports.
 */
class BenchIngestIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.bench-it.port-offset", 1000);
    private static final Pattern BENCH = Pattern.compile(
            "BENCH ingest crops=24 server_cps=(\\d+\\.\\d) bare_cps=(\\d+\\.\\d) ratio=(\\d+\\.\\d{3})"
            + " server_cpu_ms=(\\d+\\.\\d{2}) bare_cpu_ms=(\\d+\\.\\d{2}) cpu_ratio=(\\d+\\.\\d{3})");

    @Test
    void benchIngestReportsServerAndBareThroughput() throws IOException, InterruptedException {
        Path root = new File(System.getProperty("rva.root", "..")).getCanonicalFile().toPath();
        Path faces = Path.of(System.getProperty("rva.shared.dir", root.resolve("../shared").toString()), "faces");
        assumeTrue(Files.isDirectory(faces), "Skipped: " + faces + " is missing (the bench sends real face crops)");
        Path state = Path.of("target", "bench-ingest-it").toAbsolutePath();
        Path output = Path.of("target", "bench-ingest-it.log").toAbsolutePath();
        Files.createDirectories(state);
        // at most 100 warm-up crops: the first batch of 40, then batches until the JIT is quiet or the cap; two timed
        // rounds of 12 crops (the BENCH line counts the crops of all rounds)
        Process bench = new ProcessBuilder("bash", root.resolve("rva").toString(), "bench", "ingest", "--crops", "12",
                "--rounds", "2", "--max-warm-up", "100", "--faces", faces.toString(), "--port-offset=" + PORT_OFFSET, "--state-dir=" + state)
                .redirectErrorStream(true).redirectOutput(output.toFile()).directory(root.toFile()).start();
        boolean finished = bench.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            bench.destroy();
            bench.waitFor(60, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(finished, "./rva bench ingest did not finish within 10 minutes; its output is above");
        assertEquals(0, bench.exitValue(), "./rva bench ingest failed; its output is above");
        String[] lines = log.strip().split("\\R");
        String benchLine = null;
        for (String line : lines) {
            if (line.startsWith("BENCH ingest ")) {
                benchLine = line;
            }
        }
        assertTrue(benchLine != null, "a BENCH ingest line");
        Matcher m = BENCH.matcher(benchLine);
        assertTrue(m.matches(), benchLine);
        double server = Double.parseDouble(m.group(1));
        double bare = Double.parseDouble(m.group(2));
        assertTrue(server > 0 && bare > 0, benchLine);
        assertEquals(server / bare, Double.parseDouble(m.group(3)), 0.01 + 0.06 / bare);
        double serverCpu = Double.parseDouble(m.group(4));
        double bareCpu = Double.parseDouble(m.group(5));
        assertTrue(serverCpu > 0 && bareCpu > 0, "both sides' CPU per crop is measured on Linux: " + benchLine);
        assertEquals(bareCpu / serverCpu, Double.parseDouble(m.group(6)), 0.01 + 0.01 / serverCpu);
        assertTrue(log.contains("[rva] Stopped"), "the bench's server stopped cleanly");
        Matcher steady = Pattern.compile("server (NOT )?steady after (\\d+) warm-up crops").matcher(log);
        assertTrue(steady.find(), "the warm-up says whether the server's JIT got quiet");
        int warmUp = Integer.parseInt(steady.group(2));
        // the least warm-up (20,000 by default) is cut to the cap: a first batch of 40, then one of 60 sent as the
        // timed crops are (into the paused queue)
        assertEquals(100, warmUp, "a first batch of 40, 100 in all: " + steady.group());
        assertTrue(log.contains("server warm-up 1: 40 crops") && log.contains("server warm-up 2: 60 crops"),
                "the warm-up batches and their JIT shares are printed");
        assertTrue(log.contains("server (round 1 of 2): 12 crops ingested") && log.contains("server (round 2 of 2): 12 crops"
                + " ingested"), "two timed rounds of the server");
        assertTrue(log.contains("bare (before the server): 12 crops") && log.contains("bare (after server round 1): 12 crops")
                && log.contains("bare (after server round 2): 12 crops"), "the bare loop is timed before the server and"
                + " after each of its rounds");
    }
}
