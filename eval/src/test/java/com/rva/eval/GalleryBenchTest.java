package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.rva.recognition.Vectors;

/**
 * {@code ./rva bench gallery}'s entry point at a tiny size (a few seconds): the last line's format, and
 * figures that must hold at any size (recall within [0, 1], an index smaller than the float rows). No timing
 * assertion: speed is what the printed ratio reports on the full run.
 */
class GalleryBenchTest {

    private static final Pattern BENCH = Pattern.compile("BENCH gallery templates=2000 ann_ms=(\\d+\\.\\d{3})"
            + " exact_ms=(\\d+\\.\\d{3}) speedup=(\\d+\\.\\d) recall_at_1=(\\d\\.\\d{4}) customer_recall_at_1=(\\d\\.\\d{4})"
            + " bytes_per_million=(\\d+) heap_per_million=(-?\\d+) build_s=(\\d+\\.\\d) build_cpu_s=(\\d+\\.\\d)");

    @Test
    void aSmallRunPrintsTheBenchLineLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = GalleryBench.run(new String[] {"--templates", "2000", "--queries=30", "--threads", "2",
            "--sweep-ef", "4,32"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        for (int ef : new int[] {4, 32}) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("efSearch " + ef + ": ann_ms=\\d+\\.\\d{3} exact_ms=\\d+\\.\\d{3}"
                    + " speedup=\\d+\\.\\d recall_at_1=\\d\\.\\d{4} customer_recall_at_1=\\d\\.\\d{4}")),
                    "a line for efSearch " + ef + " in " + lines);
        }
        Matcher m = BENCH.matcher(lines.get(lines.size() - 1));
        assertTrue(m.matches(), "last line: " + lines.get(lines.size() - 1));
        double recall = Double.parseDouble(m.group(4));
        double customerRecall = Double.parseDouble(m.group(5));
        // clustered data: the identity of the nearest template is easy even for a small graph
        assertTrue(customerRecall >= 0.95, "customer recall@1 " + customerRecall);
        assertTrue(recall <= customerRecall + 1e-9 || recall <= 1, "recall " + recall);
        long bytesPerMillion = Long.parseLong(m.group(6));
        assertTrue(bytesPerMillion > 516L * 1_000_000 && bytesPerMillion < 2_048L * 1_000_000,
                "int8 rows (516 bytes a template) plus links, less than the floats: " + bytesPerMillion);
    }

    @Test
    void badOptionsAreRefusedWithTheUsage() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GalleryBench.run(new String[] {"--templates", "0"}, out));
        assertTrue(e.getMessage().contains("--templates"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GalleryBench.run(new String[] {"--fast"}, out));
    }

    @Test
    void syntheticTemplatesLookLikeFaceEmbeddings() {
        SyntheticTemplates data = new SyntheticTemplates(512, 5, 1);
        // impostor pairs (different identities): mean ≈ 0, sd ≈ 0.1; genuine pairs (one identity): ≈ 0.5–0.8
        double sum = 0;
        double sq = 0;
        int n = 400;
        for (int i = 0; i < n; i++) {
            double c = Vectors.dot(data.template(5L * i), data.template(5L * i + 5));
            sum += c;
            sq += c * c;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        assertTrue(Math.abs(mean) < 0.03 && sd > 0.06 && sd < 0.14, "impostor mean " + mean + " sd " + sd);
        for (int i = 0; i < 50; i++) {
            double genuine = Vectors.dot(data.template(5L * i), data.template(5L * i + 1));
            assertTrue(genuine > 0.4 && genuine < 0.9, "genuine " + genuine);
            double query = Vectors.dot(data.query(i, i), data.template(5L * i + 2));
            assertTrue(query > 0.4 && query < 0.9, "query " + query);
        }
    }
}
