package com.rva.collector;

import com.rva.collector.config.CollectorSettings;
import com.rva.collector.config.ConfigException;
import com.rva.collector.config.ConfigLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar rva-edge-collector.jar --config=collector.properties [--setting=value ...]}; with
 * {@code --check} it validates the settings, tries every camera and the server, and exits.
 *
 * <p>Exit codes: 0 stopped normally (or all checks passed), 1 failed at run time (or a check failed), 2 a setting
 * is missing or wrong.
 */
public final class EdgeCollectorMain {

    /**
     * The JVM options {@code bin/edge-collector} and {@code bin/edge-collector.bat} start the collector with when
     * {@code JAVA_OPTS} is not set (kept in step by {@code DistributionIT}; {@code ./rva bench edge} runs with them).
     * <ul>
     * <li>{@code -Xmx256m}: the collector's heap (crops are small; frames are decoded into native memory).</li>
     * <li>{@code -XX:TieredStopAtLevel=1}: the JIT compiles with C1 only. The collector's CPU goes to native code
     * (JPEG decoding, YuNet, warping); its Java code — the broker's per-crop routing and journal, the committer —
     * runs once or twice a frame, a few thousand times an hour, so with the default tiered JIT it spends hours in
     * C1's <em>profiling</em> tier (slower than plain C1 code) and the C2 compiler keeps compiling it, crop
     * after crop, without ever reaching a steady state ({@code ./rva bench edge --jfr}: after five warm-up passes
     * ≈ 600 compilations of broker methods in 45 s, none of them recompilations or deoptimizations). C1 alone
     * compiles each method once, early, and needs no C2 compiler thread or arena (less memory).</li>
     * </ul>
     */
    public static final java.util.List<String> JVM_OPTIONS = java.util.List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    private EdgeCollectorMain() {
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the collector and blocks until the JVM is asked to stop; returns the exit code on failure. */
    static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: java -jar rva-edge-collector.jar --config=FILE [--setting=value ...]");
            System.out.println("       java -jar rva-edge-collector.jar --check --config=FILE   (try cameras and server)");
            System.out.println("Settings and their defaults: see collector.properties shipped with the collector.");
            return 0;
        }
        boolean check = java.util.Arrays.asList(args).contains("--check");
        if (check) {
            args = java.util.Arrays.stream(args).filter(a -> !a.equals("--check")).toArray(String[]::new);
        }
        CollectorSettings settings;
        try {
            settings = ConfigLoader.load(args);
        } catch (ConfigException e) {
            System.err.println("The edge collector cannot start; fix these settings:");
            e.problems().forEach(p -> System.err.println("  " + p));
            if (check) {
                System.out.println("CHECK FAILED: " + e.problems().size() + " setting(s) missing or wrong");
            }
            return EXIT_CONFIG;
        }
        if (check) {
            return new ConfigCheck(settings, System.out).run() == 0 ? 0 : EXIT_FAILURE;
        }
        Logger log = LoggerFactory.getLogger(EdgeCollectorMain.class);
        log.info("Settings: {}", settings);
        EdgeCollector collector;
        try {
            collector = new EdgeCollector(settings);
        } catch (IllegalStateException e) {
            System.err.println("The edge collector cannot start: " + CollectorSettings.STATE_DIR + ": " + e.getMessage());
            return EXIT_CONFIG;
        } catch (Exception e) {
            log.error("The edge collector cannot start: {}", e.toString(), e);
            return EXIT_FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping the edge collector");
            collector.close();
            stopped.countDown();
        }, "shutdown"));
        collector.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
