package com.rva.collector.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
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
            assertEquals(3, store.next("cam-1", "frame-003.png 3000 5000"),
                    "a frame numbered among the last REPLAY_WINDOW keeps its number");
            for (int i = 0; i < FrameSeqStore.REPLAY_WINDOW; i++) {
                store.next("cam-1", "other-" + i + ".png 1 1");
            }
            assertEquals(6 + FrameSeqStore.REPLAY_WINDOW, store.next("cam-1", "frame-003.png 3000 5000"),
                    "out of the window: a new number");
        }
    }

    @Test
    void framesNumberedTogetherGetTheirNumbersAgainInAnyGrouping() throws Exception {
        List<String> keys = List.of("a.jpg 1 10", "b.jpg 2 10", "c.jpg 3 10");
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(1, store.next("cam-1", "old.jpg 0 10"));
            assertArrayEquals(new long[] {2, 3, 4}, store.nextAll("cam-1", keys));
            // killed after storing a, b and c, before deleting them
        }
        List<String> lines = Files.readAllLines(dir.resolve("frame-seq-cam-1"));
        assertEquals("4\tc.jpg 3 10", lines.get(0), "first line as older versions wrote it: last number, its key");
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertArrayEquals(new long[] {2, 3}, store.nextAll("cam-1", List.of("a.jpg 1 10", "b.jpg 2 10")));
            assertArrayEquals(new long[] {5, 4, 6}, store.nextAll("cam-1",
                    Arrays.asList("new.jpg 4 10", "c.jpg 3 10", null)));
        }
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(6, store.current("cam-1"));
            assertEquals(5, store.next("cam-1", "new.jpg 4 10"));
            assertEquals(2, store.next("cam-1", "a.jpg 1 10"));
        }
    }

    @Test
    void keylessFramesAreNumberedFromMemoryAndACrashSkipsButNeverReusesNumbers() throws Exception {
        Path crashed = Files.createDirectories(dir.resolve("at-the-crash"));
        try (FrameSeqStore store = new FrameSeqStore(dir.resolve("live"))) {
            assertEquals(1, store.next("cam-1", null));
            Path file = dir.resolve("live").resolve("frame-seq-cam-1");
            String afterFirst = Files.readString(file);
            assertEquals((1 + FrameSeqStore.RESERVE) + "\n", afterFirst, "the file is ahead of the number handed out");
            assertEquals(2, store.next("cam-1", null));
            assertEquals(3, store.next("cam-1", null));
            assertEquals(afterFirst, Files.readString(file), "no write while within the reserve");
            // the disk as a kill -9 or a power cut would leave it now
            Files.copy(file, crashed.resolve("frame-seq-cam-1"));
        }
        try (FrameSeqStore store = new FrameSeqStore(dir.resolve("live"))) {
            assertEquals(3, store.current("cam-1"), "a normal stop writes the exact last number back");
            assertEquals(4, store.next("cam-1", null));
        }
        try (FrameSeqStore store = new FrameSeqStore(crashed)) {
            long next = store.next("cam-1", null);
            assertTrue(next > 3 && next <= 3 + FrameSeqStore.RESERVE + 1, "after a crash: a new number, " + next);
        }
    }

    @Test
    void aKeyedFrameAfterKeylessOnesIsWrittenAtOnceWithItsNumber() throws Exception {
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(1, store.next("cam-1", null));
            assertEquals(2, store.next("cam-1", "a.jpg 1 10"));
            assertEquals("2\ta.jpg 1 10", Files.readAllLines(dir.resolve("frame-seq-cam-1")).get(0),
                    "a replay key is on disk before the frame's crops are stored");
            assertEquals(3, store.next("cam-1", null));
        }
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(2, store.next("cam-1", "a.jpg 1 10"));
            assertEquals(4, store.next("cam-1", null));
        }
    }

    @Test
    void aCounterFileOfOlderVersionsStillReads() throws Exception {
        Files.writeString(dir.resolve("frame-seq-cam-1"), "41\tframe-041.png 1000 5000\n");
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(41, store.next("cam-1", "frame-041.png 1000 5000"));
            assertEquals(42, store.next("cam-1", "frame-042.png 1000 5000"));
        }
        Files.writeString(dir.resolve("frame-seq-cam-2"), "7\n");
        try (FrameSeqStore store = new FrameSeqStore(dir)) {
            assertEquals(8, store.next("cam-2", "x 1 1"));
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
