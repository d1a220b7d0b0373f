package com.rva.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Runs the README's {@code ./rva generate} and {@code ./rva bench aggregates} for real at a tiny size: a generated
 * chain in an embedded PostgreSQL (its own state dir under target/), then the bench's own WildFly on it (shifted
 * ports beside the in-server tests), daily-aggregates started through the REST API as a JBeret execution, and the
 * bare SQL recount; the job's rows must equal the recount and the server must be stopped. No speed assertion: the
 * ratio is what the command reports.
 */
class BenchAggregatesIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.bench-agg-it.port-offset", 1600);
    private static final Pattern BENCH = Pattern.compile("BENCH aggregates visits=3000 store_days=(\\d+) partitions=2"
            + " stores_per_chunk=3 job_s=(\\d+\\.\\d{3}) wall_s=(\\d+\\.\\d{3}) sql_s=(\\d+\\.\\d{3}) ratio=(\\d+\\.\\d\\d)"
            + " rows_per_s=(\\d+) sql_rows_per_s=(\\d+) equal=(true|false)");

    @Test
    void benchAggregatesRunsTheJobInTheServerAndMatchesTheRecount() throws IOException, InterruptedException {
        Path root = new File(System.getProperty("rva.root", "..")).getCanonicalFile().toPath();
        Path state = Path.of("target", "bench-aggregates-it").toAbsolutePath();
        if (Files.exists(state)) { // a former run's database: the generator refuses to add to it
            try (var paths = Files.walk(state)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(state);
        String generated = run(root, Path.of("target", "bench-aggregates-it-generate.log").toAbsolutePath(), 5,
                List.of("generate", "--visits", "3000", "--stores", "12", "--regions", "3", "--days", "20",
                        "--customers", "400", "--state-dir", state.toString()));
        assertTrue(generated.contains("GENERATE visits=3000"), generated);

        String log = run(root, Path.of("target", "bench-aggregates-it.log").toAbsolutePath(), 12,
                List.of("bench", "aggregates", "--state-dir", state.toString(), "--port-offset", String.valueOf(PORT_OFFSET),
                        "--stores-per-chunk", "3"));
        String benchLine = null;
        for (String line : log.strip().split("\\R")) {
            if (line.startsWith("BENCH aggregates ")) {
                benchLine = line;
            }
        }
        assertTrue(benchLine != null, "a BENCH aggregates line");
        Matcher m = BENCH.matcher(benchLine);
        assertTrue(m.matches(), benchLine);
        assertEquals("true", m.group(8), "the job's rows equal the bare SQL recount: " + benchLine);
        // 12 stores x (20 generated days and a day either side, up to today)
        long storeDays = Long.parseLong(m.group(1));
        assertTrue(storeDays >= 12 * 21 && storeDays <= 12 * 23, benchLine);
        double job = Double.parseDouble(m.group(2));
        double wall = Double.parseDouble(m.group(3));
        double sql = Double.parseDouble(m.group(4));
        assertTrue(job > 0 && sql > 0 && wall >= job - 0.1, benchLine);
        // each figure rounded to the millisecond: the ratio of the printed figures is off by at most that much
        assertEquals(job / sql, Double.parseDouble(m.group(5)), 0.01 + 0.001 * job / (sql * sql) + 0.001 / sql);
        assertTrue(log.contains("daily-aggregates started through the REST API: execution "), "a JBeret execution");
        assertTrue(log.contains("WildFly stopped"), "the bench's server stopped");
    }

    private static String run(Path root, Path output, int minutes, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("rva").toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(root.toFile()).start();
        boolean finished = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy();
            p.waitFor(90, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(finished, "./rva " + String.join(" ", args) + " did not finish within " + minutes + " minutes");
        assertEquals(0, p.exitValue(), "./rva " + String.join(" ", args) + " failed; its output is above");
        return log;
    }
}
