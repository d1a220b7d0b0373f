package com.rva.application.ingest;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import com.rva.domain.CropRejection;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

/**
 * Counts what happens to crops and logs one throughput line every {@value #EVERY_CROPS} crops or every
 * minute, whichever comes first: rate, outcomes and the embedding time per face. Counts are attempts
 * (a crop whose transaction rolls back and is redelivered counts again). The line also gives the wall time per crop
 * of each {@link Phase} of the path, so a slow ingest says where its time goes.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class IngestMetrics {

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

    private final LongAdder totalCrops = new LongAdder();
    private final LongAdder totalEnrolled = new LongAdder();
    private final LongAdder totalRejected = new LongAdder();

    // the current window, guarded by this
    private long windowStart = System.nanoTime();
    private int crops;
    private int attached;
    private int enrolled;
    private int duplicates;
    private int rejected;
    private int embedded;
    private long embedNanos;
    private long ingestNanos;
    // static, and timed through a static method: a call through the bean's proxy costs about as much as the
    // shortest phases it would time (one deployment, one class loader: still one set of counters per application)
    private static final Map<Phase, LongAdder> PHASE_NANOS = new EnumMap<>(Phase.class);
    private static final Map<Phase, LongAdder> PHASE_COUNTS = new EnumMap<>(Phase.class);

    static {
        for (Phase p : Phase.values()) {
            PHASE_NANOS.put(p, new LongAdder());
            PHASE_COUNTS.put(p, new LongAdder());
        }
    }

    /** Adds the wall time one crop spent in {@code phase}. */
    public static void time(Phase phase, long nanos) {
        PHASE_NANOS.get(phase).add(nanos);
        PHASE_COUNTS.get(phase).increment();
    }

    public void ingested(IngestResult.Outcome outcome, long embedNanos, long ingestNanos, int gallerySize) {
        totalCrops.increment();
        if (outcome == IngestResult.Outcome.ENROLLED) {
            totalEnrolled.increment();
        }
        synchronized (this) {
            crops++;
            switch (outcome) {
                case ATTACHED -> attached++;
                case ENROLLED -> enrolled++;
                case DUPLICATE -> duplicates++;
            }
            if (outcome != IngestResult.Outcome.DUPLICATE) {
                embedded++;
                this.embedNanos += embedNanos;
                this.ingestNanos += ingestNanos;
            }
            maybeLog(gallerySize);
        }
    }

    public void rejected(CropRejection.Reason reason) {
        totalCrops.increment();
        totalRejected.increment();
        synchronized (this) {
            crops++;
            rejected++;
            maybeLog(-1);
        }
    }

    private void maybeLog(int gallerySize) {
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (crops < EVERY_CROPS && elapsed < EVERY_NANOS) {
            return;
        }
        double seconds = elapsed / 1e9;
        String line = String.format("Ingest: %d crops in %.1f s (%.1f/s): %d attached, %d enrolled, %d duplicate,"
                + " %d rejected; embedding %.1f ms/face, whole crop %.1f ms%s; since start %d crops, %d customers"
                + " enrolled, %d rejected",
                crops, seconds, crops / seconds, attached, enrolled, duplicates, rejected,
                embedded == 0 ? 0.0 : embedNanos / 1e6 / embedded, embedded == 0 ? 0.0 : ingestNanos / 1e6 / embedded,
                gallerySize < 0 ? "" : "; gallery " + gallerySize + " templates",
                totalCrops.sum(), totalEnrolled.sum(), totalRejected.sum()) + phases();
        LOG.info(line);
        windowStart = now;
        crops = attached = enrolled = duplicates = rejected = embedded = 0;
        embedNanos = ingestNanos = 0;
    }

    /** "; ms per crop: validate 1.2, ..." over the phases timed since the last line, which it resets. */
    String phases() {
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

    public long totalCrops() {
        return totalCrops.sum();
    }

    public long totalRejected() {
        return totalRejected.sum();
    }
}
