package com.rva.collector.source;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream read continuously by a background thread that keeps only the newest frame; each tick takes that newest
 * frame, once. When the stream cannot be opened or breaks, the thread opens it again after a back-off (1 s,
 * doubling, at most {@link #MAX_BACKOFF}); meanwhile {@link #poll()} reports the failure, so the camera shows as
 * failing while the others go on.
 *
 * <p>A subclass says how to read its stream ({@link #readStream}, handing each frame to {@link #offer}) and how to
 * encode a kept frame for the collector ({@link #encode}); it calls {@link #start()} at the end of its constructor.
 *
 * @param <T> the frame as the stream delivers it (JPEG bytes, an OpenCV {@code Mat})
 */
public abstract class LatestFrameSource<T> implements FrameSource, AutoCloseable {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** What logs and /health show (no credentials). */
    protected final String description;
    /** The subclass's logger, so the lines keep their camera kind's category. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final Thread reader;
    private volatile boolean running = true;
    private volatile boolean opened;

    private T newest;
    private Instant newestAt;
    private Instant handedOut = Instant.EPOCH;
    private volatile String failure = "not opened yet";

    /**
     * @param description what logs and /health show (no credentials)
     * @param threadPrefix the reading thread's name is this, a dash and the description
     */
    protected LatestFrameSource(String description, String threadPrefix) {
        this.description = description;
        this.reader = new Thread(this::run, threadPrefix + "-" + description.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.reader.setDaemon(true);
    }

    /** Starts reading; the subclass calls it once its own fields are set. */
    protected final void start() {
        reader.start();
    }

    /** The reading thread's name (for threads a subclass starts beside it). */
    protected final String readerName() {
        return reader.getName();
    }

    /** Whether the source is still wanted; a {@link #readStream} loop stops when it turns false. */
    protected final boolean running() {
        return running;
    }

    /**
     * Opens the stream and reads it until it ends or breaks, handing each frame to {@link #offer}. Calls
     * {@link #opened()} once the stream works (the back-off starts again from 1 s).
     *
     * @return why the stream stopped (shown in logs and /health until the next frame)
     * @throws InterruptedException when the source is closed while reading
     */
    protected abstract String readStream() throws InterruptedException;

    /** JPEG bytes of a kept frame (called under the source's lock: the frame is not replaced meanwhile). */
    protected abstract byte[] encode(T frame) throws IOException;

    /** Frees a frame that is no longer kept (a native buffer); nothing by default. */
    protected void discard(T frame) {
    }

    /** Called by {@link #close()} before the reading thread is interrupted (e.g. to end a child process). */
    protected void stopReading() {
    }

    /** Says that the stream works: no failure reported, and the next back-off starts from 1 s. */
    protected final void opened() {
        opened = true;
        failure = null;
    }

    /** Keeps {@code frame} as the newest (the source owns it from now on), replacing the one kept before. */
    protected final void offer(T frame) {
        failure = null;
        T old;
        synchronized (this) {
            old = newest;
            newest = frame;
            newestAt = Instant.now();
        }
        if (old != null) {
            discard(old);
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            opened = false;
            String problem;
            try {
                problem = readStream();
            } catch (InterruptedException e) {
                break;
            }
            if (!running) {
                break;
            }
            if (opened) {
                backoff = FIRST_BACKOFF;
            }
            failure = problem;
            log.warn("{}: {}; trying again in {} s", description, problem, backoff.toSeconds());
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Sleeps while running (a file played at its frame rate).
     *
     * @return false when the source was closed meanwhile
     */
    protected final boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public List<Frame> poll() throws IOException {
        byte[] jpeg = null;
        Instant at = null;
        synchronized (this) {
            if (newest != null && newestAt.isAfter(handedOut)) {
                jpeg = encode(newest);
                at = newestAt;
                handedOut = newestAt;
            }
        }
        if (jpeg == null) {
            String f = failure;
            if (f != null) {
                throw new IOException(f + " (reconnecting with back-off)");
            }
            return List.of();
        }
        return List.of(Frame.inMemory(description + "@" + at, at, jpeg));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        running = false;
        stopReading();
        reader.interrupt();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        T old;
        synchronized (this) {
            old = newest;
            newest = null;
        }
        if (old != null) {
            discard(old);
        }
    }
}
