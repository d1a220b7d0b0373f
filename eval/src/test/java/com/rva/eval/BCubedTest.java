package com.rva.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class BCubedTest {

    @Test
    void perfectClusteringScoresOne() {
        BCubed b = BCubed.score(List.of("a", "a", "b"), List.of(7, 7, 9));
        assertEquals(1.0, b.precision(), 1e-12);
        assertEquals(1.0, b.recall(), 1e-12);
        assertEquals(1.0, b.f1(), 1e-12);
    }

    @Test
    void splitsCostRecallAndMergesCostPrecision() {
        // a a a split 2+1: recall per item 2/3, 2/3, 1/3
        BCubed split = BCubed.score(List.of("a", "a", "a"), List.of(1, 1, 2));
        assertEquals(1.0, split.precision(), 1e-12);
        assertEquals(5.0 / 9, split.recall(), 1e-12);
        // a a b in one cluster: precision 2/3, 2/3, 1/3
        BCubed merged = BCubed.score(List.of("a", "a", "b"), List.of(1, 1, 1));
        assertEquals(5.0 / 9, merged.precision(), 1e-12);
        assertEquals(1.0, merged.recall(), 1e-12);
        assertEquals(2 * (5.0 / 9) / (5.0 / 9 + 1), merged.f1(), 1e-12);
    }

    @Test
    void mismatchedInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BCubed.score(List.of("a"), List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> BCubed.score(List.of(), List.of()));
    }
}
