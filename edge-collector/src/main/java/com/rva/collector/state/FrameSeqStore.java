package com.rva.collector.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-camera frame counters that survive restarts ({@code <state.dir>/frame-seq-<cameraId>}).
 *
 * <p>A number is written (fsync + atomic rename) before it is handed out, so a crash can skip numbers but
 * never give one to another frame: a reused frameSeq would make the broker drop a new crop as a duplicate of
 * an old one. The file also records the frame the number went to (its replay key): when the collector is
 * killed after storing a frame's crops but before deleting the frame, the same frame is read again after the
 * restart and gets the <em>same</em> number, so its crops carry the same duplicate ids and are stored once.
 * The folder is locked so two collectors cannot share it.
 */
public final class FrameSeqStore implements AutoCloseable {

    private static final String PREFIX = "frame-seq-";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, String> lastKey = new HashMap<>();

    /**
     * @throws IllegalStateException when another collector holds the folder
     * @throws IOException           when the folder cannot be used
     */
    public FrameSeqStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("another collector is already using state folder " + dir);
        }
        this.lock = l;
    }

    /** The next frame number of a camera (1 for its first frame ever). */
    public synchronized long next(String cameraId) {
        return next(cameraId, null);
    }

    /**
     * The number of a frame: the last number again when {@code replayKey} names the frame that got it (the
     * frame is being re-read after a crash), else the next number.
     *
     * @param key       what identifies the frame across restarts (file name, time, size), or null when a frame
     *                  is never read twice (snapshots)
     */
    public synchronized long next(String cameraId, String key) {
        String replayKey = key == null ? null : key.replaceAll("[\\r\\n\\t]", " ").strip();
        long current = current(cameraId);
        if (replayKey != null && current > 0 && replayKey.equals(lastKey.get(cameraId))) {
            return current;
        }
        long next = current + 1;
        write(cameraId, next, replayKey);
        last.put(cameraId, next);
        lastKey.put(cameraId, replayKey);
        return next;
    }

    /** The last number handed out for a camera, 0 if none. */
    public synchronized long current(String cameraId) {
        Long cached = last.get(cameraId);
        if (cached != null) {
            return cached;
        }
        Path file = file(cameraId);
        long value = 0;
        String key = null;
        if (Files.exists(file)) {
            try {
                String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\t", 2);
                value = Long.parseLong(parts[0].trim());
                key = parts.length > 1 ? parts[1] : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read frame counter " + file, e);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("frame counter " + file + " is corrupt (not a number); "
                        + "restore it or set it above the last frameSeq the server saw from camera " + cameraId, e);
            }
        }
        last.put(cameraId, value);
        lastKey.put(cameraId, key);
        return value;
    }

    private void write(String cameraId, long value, String replayKey) {
        Path file = file(cameraId);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            String line = replayKey == null ? value + "\n" : value + "\t" + replayKey + "\n";
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write frame counter " + tmp, e);
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace frame counter " + file, e);
        }
    }

    private Path file(String cameraId) {
        return dir.resolve(PREFIX + cameraId);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
