package com.rva.application.analytics;

import java.util.logging.Logger;

/**
 * Where a portal read spends its time, phase by phase, logged at INFO when the server runs with
 * {@code -Drva.portal.timing=true} ({@code ./rva bench portal --timing}; docs/portal-and-api.md, "Where the time
 * goes"). Off by default: then every call is a no-op.
 */
public final class PortalTiming {

    private static final Logger LOG = Logger.getLogger(PortalTiming.class.getName());
    private static final boolean ON = Boolean.getBoolean("rva.portal.timing");
    private static final PortalTiming OFF = new PortalTiming(null);
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final String what;
    private final StringBuilder phases;
    private final long start;
    private final long startCpu;
    private long last;

    private PortalTiming(String what) {
        this.what = what;
        this.phases = what == null ? null : new StringBuilder();
        this.start = System.nanoTime();
        this.startCpu = what == null ? 0 : CPU.getCurrentThreadCpuTime();
        this.last = start;
    }

    /** Whether the timings are logged ({@code -Drva.portal.timing=true}). */
    public static boolean enabled() {
        return ON;
    }

    /** Starts timing {@code what} (e.g. {@code dashboardPage}). */
    public static PortalTiming start(String what) {
        return ON ? new PortalTiming(what) : OFF;
    }

    /** The time since the former mark belongs to {@code phase}. */
    public void mark(String phase) {
        if (phases != null) {
            long now = System.nanoTime();
            phases.append(' ').append(phase).append('=').append(String.format(java.util.Locale.ROOT, "%.1f",
                    (now - last) / 1e6));
            last = now;
        }
    }

    /** Adds a figure (a count) to the line. */
    public void note(String name, long value) {
        if (phases != null) {
            phases.append(' ').append(name).append('=').append(value);
        }
    }

    /**
     * Logs the phases, the total and the thread's CPU time meanwhile ({@code cpu=}: what the request cost the server,
     * whatever else ran on the machine; the wall-clock phases include waiting for a core).
     */
    public void done() {
        if (phases != null) {
            LOG.info(String.format(java.util.Locale.ROOT, "portal-timing %s total=%.1f ms cpu=%.1f ms:%s", what,
                    (System.nanoTime() - start) / 1e6, (CPU.getCurrentThreadCpuTime() - startCpu) / 1e6, phases));
        }
    }
}
