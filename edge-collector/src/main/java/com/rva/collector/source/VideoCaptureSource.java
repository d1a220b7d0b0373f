package com.rva.collector.source;

import com.rva.collector.vision.OpenCvNatives;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream through OpenCV {@code VideoCapture}: a video file or a USB camera (device index). A
 * background thread reads frames continuously and keeps only the newest; each tick takes that newest frame (a
 * frame is handed out once). When the stream cannot be opened or breaks — for a file: when it ends — the thread
 * releases it and opens it again after a back-off (1 s, doubling, at most {@link #MAX_BACKOFF}); meanwhile
 * {@link #poll()} reports the failure, so the camera shows as failing while the others go on. A file is read at
 * its own frame rate, so it plays like a live camera.
 */
public final class VideoCaptureSource implements FrameSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VideoCaptureSource.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final String description;
    private final String target;
    private final Integer device;
    private final boolean file;
    private final Thread grabber;
    private volatile boolean running = true;

    private Mat newest;
    private Instant newestAt;
    private Instant handedOut = Instant.EPOCH;
    private volatile String failure = "not opened yet";

    /**
     * @param target      what VideoCapture opens (URL with credentials, or file path); never logged
     * @param device      a USB device index instead of {@code target}, or null
     * @param description what logs and /health show (no credentials)
     * @param file        a video file: read at its frame rate and reopened when it ends
     */
    public VideoCaptureSource(String target, Integer device, String description, boolean file) {
        OpenCvNatives.load();
        this.target = target;
        this.device = device;
        this.description = description;
        this.file = file;
        this.grabber = new Thread(this::grab, "video-" + description.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.grabber.setDaemon(true);
        this.grabber.start();
    }

    private void grab() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            VideoCapture capture = device != null ? new VideoCapture(device) : new VideoCapture(target);
            try {
                if (!capture.isOpened()) {
                    failure = "cannot open " + description;
                } else {
                    LOG.info("Video source {} opened ({})", description, capture.getBackendName());
                    backoff = Duration.ofSeconds(1);
                    failure = null;
                    double fps = capture.get(Videoio.CAP_PROP_FPS);
                    long pauseMillis = file ? (long) (1000 / (fps > 0 && fps < 1000 ? fps : 25)) : 0;
                    Mat frame = new Mat();
                    while (running && capture.read(frame) && !frame.empty()) {
                        synchronized (this) {
                            if (newest != null) {
                                newest.release();
                            }
                            newest = frame.clone();
                            newestAt = Instant.now();
                        }
                        if (pauseMillis > 0 && !sleep(pauseMillis)) {
                            break;
                        }
                    }
                    frame.release();
                    failure = file ? "video file " + description + " ended" : "stream " + description + " broke";
                }
            } finally {
                capture.release();
            }
            if (!running) {
                break;
            }
            LOG.warn("Video source {}: {}; opening it again in {} s", description, failure, backoff.toSeconds());
            if (!sleep(backoff.toMillis())) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public List<Frame> poll() throws IOException {
        byte[] jpeg;
        Instant at;
        synchronized (this) {
            if (newest == null || !newestAt.isAfter(handedOut)) {
                jpeg = null;
                at = null;
            } else {
                MatOfByte buffer = new MatOfByte();
                Imgcodecs.imencode(".jpg", newest, buffer);
                jpeg = buffer.toArray();
                buffer.release();
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
        byte[] bytes = jpeg;
        Instant capturedAt = at;
        return List.of(Frame.inMemory(description + "@" + capturedAt, capturedAt, bytes));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        running = false;
        grabber.interrupt();
        try {
            grabber.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (newest != null) {
                newest.release();
                newest = null;
            }
        }
    }
}
