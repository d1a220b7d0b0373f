package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IngestMetricsTest {

    @Test
    void phasesAreAveragedPerCropInPathOrderAndResetAfterEachLine() {
        IngestMetrics.time(IngestMetrics.Phase.EMBED, 10_000_000);
        IngestMetrics.time(IngestMetrics.Phase.EMBED, 20_000_000);
        IngestMetrics.time(IngestMetrics.Phase.VALIDATE, 1_500_000);
        IngestMetrics.time(IngestMetrics.Phase.COMMIT, 4_000_000);

        assertEquals("; ms per crop: validate 1.5, embed 15.0, commit 4.0", IngestMetrics.phases());
        assertEquals("", IngestMetrics.phases(), "a line resets the phases");
    }
}
