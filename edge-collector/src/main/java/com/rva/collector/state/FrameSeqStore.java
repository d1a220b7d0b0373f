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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-camera frame counters that survive restarts ({@code <state.dir>/frame-seq-<cameraId>}).
 *
 * <p>A number is written (fsync + atomic rename) before it is handed out, so a crash can skip numbers but
 * never give one to another frame: a reused frameSeq would make the broker drop a new crop as a duplicate of
 * an old one. The file also records the frames the last {@value #REPLAY_WINDOW} numbers went to (their replay
 * keys): when the collector is killed after storing frames' crops but before deleting the frames, the same
 * frames are read again after the restart and get the <em>same</em> numbers, so their crops carry the same
 * duplicate ids and are stored once. {@link #nextAll} numbers several frames with one write (the
 * collector numbers the frames of one outbox transaction together). The folder is locked so two collectors
 * cannot share it.
 *
 * <p>Frames without a replay key (snapshots, streams: never read twice) do not need a write each: the file then
 * records a number {@value #RESERVE} ahead of the last one handed out, and numbers up to it are handed out from
 * memory. A crash skips at most {@value #RESERVE} numbers (never reuses one); {@link #close} writes the exact last
 * number back, so a normal stop skips none. A frame with a replay key is always written at once (its key must be
 * on disk before its crops are stored).
 *
 * <p>File format: first line {@code <last number>[TAB<its replay key>]}, then one line {@code <number>TAB<replay
 * key>} per earlier frame of the window, newest first (a file of one line, as older versions wrote, still reads).
 */
public final class FrameSeqStore implements AutoCloseable {

    private static final String PREFIX = "frame-seq-";
    /** How many numbered frames per camera keep their replay key (far more than one outbox transaction holds). */
    public static final int REPLAY_WINDOW = 64;
    /** How far ahead of the last number handed out the file may be for frames without a replay key. */
    public static final int RESERVE = 64;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Long> last = new HashMap<>();
    /** Per camera: the number the file holds (≥ the last number handed out; ahead of it for keyless frames). */
    private final Map<String, Long> durable = new HashMap<>();
    /** Per camera: replay key → number, for the last {@value #REPLAY_WINDOW} numbered frames, oldest first. */
    private final Map<String, LinkedHashMap<String, Long>> window = new HashMap<>();

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
     * The number of a frame: its earlier number again when {@code key} names a frame numbered among the last
     * {@value #REPLAY_WINDOW} (the frame is being re-read after a crash), else the next number.
     *
     * @param key       what identifies the frame across restarts (file name, time, size), or null when a frame
     *                  is never read twice (snapshots)
     */
    public synchronized long next(String cameraId, String key) {
        return nextAll(cameraId, java.util.Collections.singletonList(key))[0];
    }

    /**
     * Numbers several frames of one camera, in order, with one durable write: as {@link #next(String, String)}
     * for each key (null keys always get a new number).
     */
    public synchronized long[] nextAll(String cameraId, List<String> keys) {
        long current = current(cameraId);
        LinkedHashMap<String, Long> recent = window.get(cameraId);
        long[] numbers = new long[keys.size()];
        long next = current;
        LinkedHashMap<String, Long> updated = null;
        for (int i = 0; i < keys.size(); i++) {
            String replayKey = keys.get(i) == null ? null : keys.get(i).replaceAll("[\\r\\n\\t]", " ").strip();
            Long earlier = replayKey == null ? null
                    : (updated != null ? updated : recent).get(replayKey);
            if (earlier != null) {
                numbers[i] = earlier;
                continue;
            }
            numbers[i] = ++next;
            if (replayKey != null) {
                if (updated == null) {
                    updated = new LinkedHashMap<>(recent);
                }
                updated.remove(replayKey);
                updated.put(replayKey, next);
                while (updated.size() > REPLAY_WINDOW) {
                    updated.remove(updated.keySet().iterator().next());
                }
            }
        }
        if (next != current) {
            LinkedHashMap<String, Long> keep = updated != null ? updated : recent;
            if (updated != null) {
                write(cameraId, next, keep); // a new replay key: on disk before the frame's crops are stored
                durable.put(cameraId, next);
            } else if (next > durable.get(cameraId)) {
                write(cameraId, next + RESERVE, keep);
                durable.put(cameraId, next + RESERVE);
            }
            last.put(cameraId, next);
            window.put(cameraId, keep);
        }
        return numbers;
    }

    /** The last number handed out for a camera, 0 if none. */
    public synchronized long current(String cameraId) {
        Long cached = last.get(cameraId);
        if (cached != null) {
            return cached;
        }
        Path file = file(cameraId);
        long value = 0;
        LinkedHashMap<String, Long> recent = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                List<String[]> entries = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (i > 0 && lines.get(i).isBlank()) {
                        continue;
                    }
                    String[] parts = lines.get(i).trim().split("\t", 2);
                    long n = Long.parseLong(parts[0].trim());
                    if (i == 0) {
                        value = n;
                    }
                    if (parts.length > 1) {
                        entries.add(parts);
                    }
                }
                // newest first in the file, oldest first in the map
                for (int i = entries.size() - 1; i >= 0; i--) {
                    recent.put(entries.get(i)[1], Long.parseLong(entries.get(i)[0].trim()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read frame counter " + file, e);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("frame counter " + file + " is corrupt (not a number); "
                        + "restore it or set it above the last frameSeq the server saw from camera " + cameraId, e);
            }
        }
        last.put(cameraId, value);
        durable.put(cameraId, value);
        window.put(cameraId, recent);
        return value;
    }

    private void write(String cameraId, long value, LinkedHashMap<String, Long> recent) {
        Path file = file(cameraId);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder();
        List<Map.Entry<String, Long>> entries = new ArrayList<>(recent.entrySet());
        String lastKey = null;
        for (Map.Entry<String, Long> e : entries) {
            if (e.getValue() == value) {
                lastKey = e.getKey();
            }
        }
        text.append(value).append(lastKey == null ? "" : "\t" + lastKey).append('\n');
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).getValue() != value) {
                text.append(entries.get(i).getValue()).append('\t').append(entries.get(i).getKey()).append('\n');
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
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

    /** Writes each camera's exact last number back (no number skipped across a normal stop), then unlocks. */
    @Override
    public synchronized void close() throws IOException {
        try {
            for (Map.Entry<String, Long> e : last.entrySet()) {
                if (durable.get(e.getKey()) > e.getValue()) {
                    write(e.getKey(), e.getValue(), window.get(e.getKey()));
                    durable.put(e.getKey(), e.getValue());
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
