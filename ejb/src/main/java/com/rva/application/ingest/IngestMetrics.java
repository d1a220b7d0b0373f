package com.rva.application.ingest;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

import com.rva.domain.CropRejection;

/**
 * Counts what happens to crops and logs one throughput line every {@value #EVERY_CROPS} crops or every
 * minute, whichever comes first: rate, outcomes and the embedding time per face (wall clock, and the consumer
 * thread's CPU: on a busy server the wall clock includes waiting for a core). Counts are attempts (a crop whose
 * transaction rolls back and is redelivered counts again). The line also gives the wall time per crop of each
 * {@link Phase} of the path, so a slow ingest says where its time goes.
 * <p>
 * Static counters called as static methods: a call through a bean's proxy costs about as much as the counting (one
 * deployment, one class loader: one set of counters per application).
 */
public final class IngestMetrics {

    static final int EVERY_CROPS = 100;
    private static final long EVERY_NANOS = 60_000_000_000L;
    private static final Logger LOG = Logger.getLogger(IngestMetrics.class.getName());

    /** Steps of one crop's path through the server, timed in wall-clock nanoseconds. */
    public enum Phase {
        /** On a consumer thread, from the end of one delivery to the start of the next (JMS, acknowledgement). */
        BETWEEN_DELIVERIES("between deliveries"),
        /** Contract checks, JPEG decode, store/camera/sender look-ups. */
        VALIDATE("validate"),
        DUPLICATE_CHECK("duplicate check"),
        /** The camera entity for the sighting, and the JPEG decoded when validation did not pass its image on. */
        DECODE("camera + decode"),
        EMBED("embed"),
        ERASURE_CHECK("erasure check"),
        MATCH("match/enrol"),
        CUSTOMER("customer"),
        TEMPLATE("template"),
        VISIT("visit"),
        /** From the end of the ingest to the end of the delivery: flush and commit of the transaction. */
        COMMIT("commit");

        private final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private static final LongAdder TOTAL_CROPS = new LongAdder();
    private static final LongAdder TOTAL_ENROLLED = new LongAdder();
    private static final LongAdder TOTAL_REJECTED = new LongAdder();

    /** The current window of the throughput line. */
    private static final class Window {
        long start = System.nanoTime();
        int crops;
        int attached;
        int enrolled;
        int duplicates;
        int rejected;
        int embedded;
        long embedNanos;
        long embedCpuNanos;
        int embedCpuMeasured;
        long ingestNanos;
    }

    private static final Window WINDOW = new Window(); // guarded by itself
    private static final Map<Phase, LongAdder> PHASE_NANOS = new EnumMap<>(Phase.class);
    private static final Map<Phase, LongAdder> PHASE_COUNTS = new EnumMap<>(Phase.class);

    static {
        for (Phase p : Phase.values()) {
            PHASE_NANOS.put(p, new LongAdder());
            PHASE_COUNTS.put(p, new LongAdder());
        }
    }

    private IngestMetrics() {
    }

    /** Adds the wall time one crop spent in {@code phase}. */
    public static void time(Phase phase, long nanos) {
        PHASE_NANOS.get(phase).add(nanos);
        PHASE_COUNTS.get(phase).increment();
    }

    /**
     * One crop ingested (or found a duplicate).
     *
     * @param embedCpuNanos the CPU time of the embedding on the consumer thread, negative when not measured
     * @param gallerySize asked only when the throughput line is written
     */
    public static void ingested(IngestResult.Outcome outcome, long embedNanos, long embedCpuNanos, long ingestNanos,
            IntSupplier gallerySize) {
        TOTAL_CROPS.increment();
        if (outcome == IngestResult.Outcome.ENROLLED) {
            TOTAL_ENROLLED.increment();
        }
        Window w = WINDOW;
        synchronized (w) {
            w.crops++;
            switch (outcome) {
                case ATTACHED -> w.attached++;
                case ENROLLED -> w.enrolled++;
                case DUPLICATE -> w.duplicates++;
            }
            if (outcome != IngestResult.Outcome.DUPLICATE) {
                w.embedded++;
                w.embedNanos += embedNanos;
                w.ingestNanos += ingestNanos;
                if (embedCpuNanos >= 0) {
                    w.embedCpuNanos += embedCpuNanos;
                    w.embedCpuMeasured++;
                }
            }
            maybeLog(w, gallerySize);
        }
    }

    public static void rejected(CropRejection.Reason reason) {
        TOTAL_CROPS.increment();
        TOTAL_REJECTED.increment();
        Window w = WINDOW;
        synchronized (w) {
            w.crops++;
            w.rejected++;
            maybeLog(w, null);
        }
    }

    private static void maybeLog(Window w, IntSupplier gallerySize) {
        long now = System.nanoTime();
        long elapsed = now - w.start;
        if (w.crops < EVERY_CROPS && elapsed < EVERY_NANOS) {
            return;
        }
        double seconds = elapsed / 1e9;
        String line = String.format("Ingest: %d crops in %.1f s (%.1f/s): %d attached, %d enrolled, %d duplicate,"
                + " %d rejected; embedding %.1f ms/face%s, whole crop %.1f ms%s; since start %d crops, %d customers"
                + " enrolled, %d rejected",
                w.crops, seconds, w.crops / seconds, w.attached, w.enrolled, w.duplicates, w.rejected,
                w.embedded == 0 ? 0.0 : w.embedNanos / 1e6 / w.embedded,
                w.embedCpuMeasured == 0 ? "" : String.format(Locale.ROOT, " (CPU %.2f ms)",
                        w.embedCpuNanos / 1e6 / w.embedCpuMeasured),
                w.embedded == 0 ? 0.0 : w.ingestNanos / 1e6 / w.embedded,
                gallerySize == null ? "" : "; gallery " + gallerySize.getAsInt() + " templates",
                TOTAL_CROPS.sum(), TOTAL_ENROLLED.sum(), TOTAL_REJECTED.sum()) + phases();
        LOG.info(line);
        w.start = now;
        w.crops = w.attached = w.enrolled = w.duplicates = w.rejected = w.embedded = 0;
        w.embedNanos = w.ingestNanos = w.embedCpuNanos = 0;
        w.embedCpuMeasured = 0;
    }

    /** "; ms per crop: validate 1.2, ..." over the phases timed since the last line, which it resets. */
    static String phases() {
        StringBuilder b = new StringBuilder();
        for (Phase p : Phase.values()) {
            long n = PHASE_COUNTS.get(p).sumThenReset();
            long nanos = PHASE_NANOS.get(p).sumThenReset();
            if (n > 0) {
                b.append(b.length() == 0 ? "; ms per crop: " : ", ").append(p.label)
                        .append(String.format(Locale.ROOT, " %.1f", nanos / 1e6 / n));
            }
        }
        return b.toString();
    }
}
