package com.rva.collector.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watched folder: image files ({@code .jpg}, {@code .jpeg}, {@code .png}) are taken in name order,
 * processed once and deleted. Hidden files and other names are ignored, so a writer can create
 * {@code .frame.tmp} and rename it when complete; the collector never reads half a file.
 * The frame's capture time is the file's modification time.
 */
public final class FolderFrameSource implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FolderFrameSource.class);
    private static final Pattern IMAGE = Pattern.compile("(?i)[^.].*\\.(jpe?g|png)");
    /** Bounds one tick's work when a backlog of files has piled up. */
    static final int MAX_FRAMES_PER_TICK = 100;

    private final Path folder;
    /** Files that could not be deleted: processed once, then ignored until they disappear. */
    private final Set<Path> undeletable = Collections.synchronizedSet(new HashSet<>());

    public FolderFrameSource(Path folder) {
        this.folder = folder;
    }

    @Override
    public List<Frame> poll() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "frame folder does not exist (any more)");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (IMAGE.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)
                        && !undeletable.contains(p)) {
                    files.add(p);
                }
            }
        }
        undeletable.removeIf(p -> !Files.exists(p));
        Collections.sort(files);
        List<Frame> frames = new ArrayList<>();
        for (Path p : files.subList(0, Math.min(files.size(), MAX_FRAMES_PER_TICK))) {
            frames.add(new FileFrame(p));
        }
        return frames;
    }

    @Override
    public String describe() {
        return "folder:" + folder;
    }

    private final class FileFrame implements Frame {
        private final Path file;

        FileFrame(Path file) {
            this.file = file;
        }

        @Override
        public String name() {
            return file.getFileName().toString();
        }

        @Override
        public Instant capturedAt() {
            try {
                return Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                return Instant.now();
            }
        }

        @Override
        public String replayKey() {
            try {
                return name() + " " + Files.getLastModifiedTime(file).toMillis() + " " + Files.size(file);
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public byte[] read() throws IOException {
            return Files.readAllBytes(file);
        }

        @Override
        public void done() throws IOException {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                undeletable.add(file);
                LOG.error("Cannot delete processed frame {}; it will not be processed again: {}", file, e.toString());
                throw e;
            }
        }
    }
}
