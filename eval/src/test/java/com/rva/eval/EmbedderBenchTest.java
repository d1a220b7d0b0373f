package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./rva bench embedder}'s entry point on a tiny configuration (3 real crops of {@code ../shared/faces},
 * 1 pass): the format of its lines, every backend × thread count present plus the product default as the product
 * creates it (calibrated level), cosines in [-1, 1], EXTENDED_OPT and ALL_OPT giving the product's embeddings. No timing assertion: speed is what the printed ratio reports.
 */
class EmbedderBenchTest {

    private static final String NUM = "(\\d+\\.\\d{3})";
    private static final String COS = "(-?\\d\\.\\d{6})";
    private static final Pattern BACKEND = Pattern.compile("BACKEND name=([a-z-]+) threads=([12]) ms_per_face=" + NUM
            + " min_ms=" + NUM + " max_ms=" + NUM + " cos_min=" + COS + " cos_mean=" + COS + "( \\(product default\\))?");
    private static final Pattern OPENCV_UNAVAILABLE = Pattern.compile("BACKEND name=opencv-dnn threads=([12]) unavailable: .+");
    private static final Pattern BENCH = Pattern.compile("BENCH embedder default=product-auto@1t"
            + " default_level=(ort-no-opt|ort-basic|ort-extended|ort-all) default_ms=" + NUM
            + " fastest=([a-z-]+@[12]t) fastest_ms=" + NUM + " speed_ratio=" + NUM
            + " min_cosine_opencv=(" + COS + "|unavailable) crops=3 passes=1");

    @TempDir
    Path empty;

    @Test
    void tinyRunPrintsEveryBackendWithConsistentEmbeddings() throws Exception {
        Path faces = Path.of(System.getProperty("rva.shared.dir", "../../shared"), "faces");
        assumeTrue(Files.isDirectory(faces), "Skipped: " + faces.toAbsolutePath()
                + " is missing (set -Drva.shared.dir=<folder holding faces/>)");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = EmbedderBench.run(new String[] {"--faces", faces.toString(), "--crops", "3", "--passes=1"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertEquals(0, status);

        String[] lines = output.strip().split("\\R");
        assertTrue(lines[0].startsWith("rva bench embedder: 3 aligned crops from "), lines[0]);
        Set<String> seen = new HashSet<>();
        List<String> defaults = new ArrayList<>();
        double extendedAllMin = Double.NaN;
        for (String line : lines) {
            if (!line.startsWith("BACKEND ")) {
                continue;
            }
            Matcher u = OPENCV_UNAVAILABLE.matcher(line);
            if (u.matches()) {
                seen.add("opencv-dnn@" + u.group(1));
                continue;
            }
            Matcher m = BACKEND.matcher(line);
            assertTrue(m.matches(), "backend line: " + line);
            seen.add(m.group(1) + "@" + m.group(2));
            double min = Double.parseDouble(m.group(6));
            double mean = Double.parseDouble(m.group(7));
            assertTrue(min >= -1 && min <= 1 && mean >= -1 && mean <= 1 && min <= mean, line);
            if (m.group(8) != null) {
                defaults.add(m.group(1) + "@" + m.group(2));
                assertTrue(min > 0.9999, "the default against itself: " + line);
            }
            if ((m.group(1).equals("ort-all") || m.group(1).equals("ort-extended")) && m.group(2).equals("1")) {
                extendedAllMin = Double.isNaN(extendedAllMin) ? min : Math.min(extendedAllMin, min);
            }
        }
        assertEquals(Set.of("product-auto@1", "ort-no-opt@1", "ort-basic@1", "ort-extended@1", "ort-all@1", "opencv-dnn@1",
                "ort-no-opt@2", "ort-basic@2", "ort-extended@2", "ort-all@2", "opencv-dnn@2"), seen);
        assertEquals(List.of("product-auto@1"), defaults);
        assertTrue(extendedAllMin > 0.99, "EXTENDED_OPT and ALL_OPT vs the product default, min cosine " + extendedAllMin);

        Matcher b = BENCH.matcher(lines[lines.length - 1]);
        assertTrue(b.matches(), "last line: " + lines[lines.length - 1]);
        double ratio = Double.parseDouble(b.group(5));
        assertEquals(Double.parseDouble(b.group(4)) / Double.parseDouble(b.group(2)), ratio, 0.002);
        assertTrue(ratio > 0, "fastest / default: " + ratio);
        assertTrue(!b.group(3).startsWith("product"), "the fastest is another backend: " + b.group(3));
    }

    @Test
    void missingFolderAndBadOptionsAreClearErrors() {
        Path missing = empty.resolve("no-such-faces");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbedderBench.run(new String[] {"--faces", missing.toString()}, System.out));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbedderBench.run(new String[] {"--crops", "0"}, System.out));
        assertTrue(e.getMessage().contains("--crops"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbedderBench.run(new String[] {"--frames", "3"}, System.out));
        assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    }
}
