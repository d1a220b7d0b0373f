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
    void aFrameReadAgainAfterACrashGetsItsNumberAgain() throws Exception {
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(1, store.next("cam-1", "frame-001.png 1000 5000"));
            assertEquals(2, store.next("cam-1", "frame-002.png 2000 5000"));
            // killed before frame-002.png was deleted
        }
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(2, store.next("cam-1", "frame-002.png 2000 5000"), "same frame, same number, same duplicate ids");
            assertEquals(3, store.next("cam-1", "frame-003.png 3000 5000"));
            assertEquals(4, store.next("cam-1", null), "snapshots have no replay key: always a new number");
            assertEquals(5, store.next("cam-1", null));
            assertEquals(6, store.next("cam-1", "frame-003.png 3000 5000"), "only the last frame is a replay");
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
