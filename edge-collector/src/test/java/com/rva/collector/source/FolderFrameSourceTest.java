package com.rva.collector.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderFrameSourceTest {

    @TempDir
    Path dir;

    @Test
    void takesImagesInNameOrderIgnoringPartialAndOtherFiles() throws Exception {
        Files.write(dir.resolve("frame-0002.jpg"), new byte[] {2});
        Files.write(dir.resolve("frame-0001.PNG"), new byte[] {1});
        Files.write(dir.resolve("frame-0003.jpeg"), new byte[] {3});
        Files.write(dir.resolve(".frame-0004.jpg"), new byte[] {4}); // hidden: still being written
        Files.write(dir.resolve("frame-0005.jpg.tmp"), new byte[] {5});
        Files.write(dir.resolve("notes.txt"), new byte[] {6});
        Files.createDirectory(dir.resolve("sub.jpg"));
        Instant mtime = Instant.parse("2024-11-26T10:05:00Z");
        Files.setLastModifiedTime(dir.resolve("frame-0001.PNG"), FileTime.from(mtime));

        FolderFrameSource source = new FolderFrameSource(dir);
        List<Frame> frames = source.poll();
        assertEquals(List.of("frame-0001.PNG", "frame-0002.jpg", "frame-0003.jpeg"),
                frames.stream().map(Frame::name).toList());
        assertArrayEquals(new byte[] {1}, frames.get(0).read());
        assertEquals(mtime, frames.get(0).capturedAt());
    }

    @Test
    void eachFileIsProcessedOnceThenDeleted() throws Exception {
        Files.write(dir.resolve("a.jpg"), new byte[] {1});
        FolderFrameSource source = new FolderFrameSource(dir);
        Frame frame = source.poll().get(0);
        frame.done();
        assertFalse(Files.exists(dir.resolve("a.jpg")));
        assertEquals(List.of(), source.poll());
    }

    @Test
    void aVanishedFolderIsAnErrorOfThisTickOnly() throws IOException {
        Path gone = dir.resolve("gone");
        FolderFrameSource source = new FolderFrameSource(gone);
        assertThrows(IOException.class, source::poll);
        Files.createDirectory(gone);
        assertEquals(List.of(), source.poll());
    }
}
