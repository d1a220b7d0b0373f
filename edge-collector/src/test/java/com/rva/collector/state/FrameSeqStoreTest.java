package com.rva.collector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSeqStoreTest {

    @TempDir
    Path dir;

    @Test
    void countersArePerCameraAndSurviveARestart() throws Exception {
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(1, store.next("cam-1"));
            assertEquals(2, store.next("cam-1"));
            assertEquals(1, store.next("cam-2"));
        }
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(2, store.current("cam-1"));
            assertEquals(3, store.next("cam-1"));
            assertEquals(2, store.next("cam-2"));
        }
    }

    @Test
    void twoCollectorsCannotShareAStateFolder() throws Exception {
        try (FrameSeqStore first = new FrameSeqStore(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FrameSeqStore(dir));
            assertEquals("another collector is already using state folder " + dir, e.getMessage());
        }
    }

    @Test
    void aCorruptCounterIsReportedNotReset() throws Exception {
        Files.writeString(dir.resolve("frame-seq-cam-1"), "garbage");
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertThrows(IllegalStateException.class, () -> store.next("cam-1"));
        }
    }
}
