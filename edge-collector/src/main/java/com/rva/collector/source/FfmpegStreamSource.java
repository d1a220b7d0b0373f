package com.rva.collector.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP camera read through an {@code ffmpeg} process (the OpenCV jar the collector ships has neither FFmpeg nor
 * GStreamer inside, so its {@code VideoCapture} cannot open network streams). ffmpeg pulls the stream over TCP and
 * writes one JPEG per second to its standard output; a background thread keeps the newest and each tick takes it
 * (a frame is handed out once). When ffmpeg cannot be started, cannot open the stream or the stream breaks, the
 * thread starts it again after a back-off (1 s, doubling, at most {@link LatestFrameSource#MAX_BACKOFF});
 * meanwhile {@link #poll()} reports the failure, so the camera shows as failing while the others go on.
 *
 * <p>The ffmpeg binary is {@code ffmpeg} on the PATH unless the system property {@value #FFMPEG_PROPERTY} names
 * another (Debian: {@code apt-get install ffmpeg}; Windows: the path of {@code ffmpeg.exe}).
 */
public final class FfmpegStreamSource extends LatestFrameSource<byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegStreamSource.class);
    public static final String FFMPEG_PROPERTY = "rva.ffmpeg";

    private final String ffmpeg;
    private final String target;
    private volatile Process process;

    /**
     * @param target      the URL ffmpeg opens (with credentials); never logged
     * @param description what logs and /health show (no credentials)
     */
    public FfmpegStreamSource(String target, String description) {
        this(System.getProperty(FFMPEG_PROPERTY, "ffmpeg"), target, description);
    }

    FfmpegStreamSource(String ffmpeg, String target, String description) {
        super(description, "rtsp");
        this.ffmpeg = ffmpeg;
        this.target = target;
        start();
    }

    @Override
    protected String readStream() throws InterruptedException {
        boolean gotFrames = false;
        try {
            Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-rtsp_transport", "tcp", "-timeout", "10000000", "-i", target, "-an", "-vf", "fps=1",
                    "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1")
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            process = p;
            Thread errors = drain(p.getErrorStream());
            try (InputStream in = new java.io.BufferedInputStream(p.getInputStream())) {
                byte[] jpeg;
                while (running() && (jpeg = nextJpeg(in)) != null) {
                    if (!gotFrames) {
                        LOG.info("RTSP source {} opened", description);
                        gotFrames = true;
                        opened();
                    }
                    offer(jpeg);
                }
            }
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            errors.join(1000);
            String last = lastError;
            return (gotFrames ? "stream " + description + " broke" : "cannot open " + description)
                    + (last == null ? "" : ": " + last);
        } catch (IOException e) {
            return "cannot run '" + ffmpeg + "' for " + description + " (is ffmpeg installed? " + e.getMessage() + ")";
        }
    }

    @Override
    protected byte[] encode(byte[] jpeg) {
        return jpeg;
    }

    @Override
    protected void stopReading() {
        Process p = process;
        if (p != null) {
            p.destroy();
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
        }, readerName() + "-stderr");
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
}
