package com.rva.collector.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP camera read through an {@code ffmpeg} process (the OpenCV jar the collector ships has neither FFmpeg nor
 * GStreamer inside, so its {@code VideoCapture} cannot open network streams). ffmpeg pulls the stream over TCP and
 * writes one JPEG per second to its standard output; a background thread keeps the newest and each tick takes it
 * (a frame is handed out once). When ffmpeg cannot be started, cannot open the stream or the stream breaks, the
 * thread starts it again after a back-off (1 s, doubling, at most {@link VideoCaptureSource#MAX_BACKOFF});
 * meanwhile {@link #poll()} reports the failure, so the camera shows as failing while the others go on.
 *
 * <p>The ffmpeg binary is {@code ffmpeg} on the PATH unless the system property {@value #FFMPEG_PROPERTY} names
 * another (Debian: {@code apt-get install ffmpeg}; Windows: the path of {@code ffmpeg.exe}).
 */
public final class FfmpegStreamSource implements FrameSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegStreamSource.class);
    public static final String FFMPEG_PROPERTY = "rva.ffmpeg";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final String ffmpeg;
    private final String target;
    private final String description;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile Process process;

    private byte[] newest;
    private Instant newestAt;
    private Instant handedOut = Instant.EPOCH;
    private volatile String failure = "not opened yet";

    /**
     * @param target      the URL ffmpeg opens (with credentials); never logged
     * @param description what logs and /health show (no credentials)
     */
    public FfmpegStreamSource(String target, String description) {
        this(System.getProperty(FFMPEG_PROPERTY, "ffmpeg"), target, description);
    }

    FfmpegStreamSource(String ffmpeg, String target, String description) {
        this.ffmpeg = ffmpeg;
        this.target = target;
        this.description = description;
        this.reader = new Thread(this::read, "rtsp-" + description.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            boolean gotFrames = false;
            String problem;
            try {
                Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
                        "-rtsp_transport", "tcp", "-timeout", "10000000", "-i", target, "-an", "-vf", "fps=1",
                        "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1")
                        .redirectError(ProcessBuilder.Redirect.PIPE).start();
                process = p;
                Thread errors = drain(p.getErrorStream());
                try (InputStream in = new java.io.BufferedInputStream(p.getInputStream())) {
                    byte[] jpeg;
                    while (running && (jpeg = nextJpeg(in)) != null) {
                        if (!gotFrames) {
                            LOG.info("RTSP source {} opened", description);
                            gotFrames = true;
                            backoff = FIRST_BACKOFF;
                        }
                        failure = null;
                        synchronized (this) {
                            newest = jpeg;
                            newestAt = Instant.now();
                        }
                    }
                }
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
                errors.join(1000);
                String last = lastError;
                problem = (gotFrames ? "stream " + description + " broke" : "cannot open " + description)
                        + (last == null ? "" : ": " + last);
            } catch (IOException e) {
                problem = "cannot run '" + ffmpeg + "' for " + description + " (is ffmpeg installed? " + e.getMessage()
                        + ")";
            } catch (InterruptedException e) {
                break;
            }
            if (!running) {
                break;
            }
            failure = problem;
            LOG.warn("RTSP source {}: {}; trying again in {} s", description, problem, backoff.toSeconds());
            if (!sleep(backoff.toMillis())) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(VideoCaptureSource.MAX_BACKOFF) > 0
                    ? VideoCaptureSource.MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private volatile String lastError;

    /** Keeps ffmpeg's last error line (its stderr must be read, or it blocks). The URL is blanked out. */
    private Thread drain(InputStream err) {
        lastError = null;
        Thread t = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (!line.isBlank()) {
                        lastError = line.replace(target, description).trim();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, reader.getName() + "-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The next JPEG (SOI … EOI) in ffmpeg's image2pipe output, or null at its end. */
    static byte[] nextJpeg(InputStream in) throws IOException {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream(64 * 1024);
        int previous = -1;
        boolean inImage = false;
        int b;
        while ((b = in.read()) != -1) {
            if (!inImage) {
                if (previous == 0xFF && b == 0xD8) {
                    inImage = true;
                    jpeg.write(0xFF);
                    jpeg.write(0xD8);
                }
                previous = b;
                continue;
            }
            jpeg.write(b);
            // entropy-coded data stuffs every 0xFF with 0x00, so FF D9 is the end of the image
            if (previous == 0xFF && b == 0xD9) {
                return jpeg.toByteArray();
            }
            previous = b;
        }
        return null;
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
                jpeg = newest;
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
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        reader.interrupt();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
