package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SwitchingGalleryTest {

    @Test
    void loadPicksTheKindByCountAndEnrolmentsSwitchToAnnAtTheThreshold() {
        Random random = new Random(4);
        float[][] rows = new float[130][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = VectorsKernelTest.randomUnit(random, 16);
        }
        SwitchingGallery gallery = new SwitchingGallery(100);
        gallery.startLoad();
        for (int i = 0; i < 60; i++) {
            gallery.addLoaded(i, (long) i, rows[i], "m1");
        }
        assertEquals("exact", gallery.finishLoad());
        assertEquals(60, gallery.size());
        for (int i = 60; i < 99; i++) {
            gallery.add(i, (long) i, rows[i], "m1");
        }
        assertEquals("exact", gallery.kind());
        gallery.add(99, 99L, rows[99], "m1"); // the 100th template
        assertEquals("ann", gallery.kind());
        assertEquals(100, gallery.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, gallery.bestMatch(rows[i], "m1").orElseThrow().customerId(), "row " + i + " after the switch");
        }
        gallery.remove(5L);
        assertEquals("ann", gallery.kind(), "stays ANN until the next load");
        assertEquals(99, gallery.size());

        SwitchingGallery big = new SwitchingGallery(100);
        big.startLoad();
        for (int i = 0; i < 130; i++) {
            big.addLoaded(i, (long) i, rows[i], "m1");
        }
        assertEquals("ann", big.finishLoad());
        assertEquals(120, big.bestMatch(rows[120], "m1").orElseThrow().customerId());
        assertThrows(IllegalStateException.class, () -> big.addLoaded(1, 1L, rows[0], "m1"));
    }
}
