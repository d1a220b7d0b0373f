package com.rva.collector.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rva.collector.vision.OpenCvNatives;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * RTSP for real on loopback: GStreamer's RTSP server (a Python script, {@code rtsp/serve.py}) serves a moving test
 * picture; the source pulls it through Debian's {@code ffmpeg}; the server is stopped (the stream breaks) and
 * started again on the same port (the source reconnects after its back-off). Skipped, with the packages to install,
 * when ffmpeg or the GStreamer RTSP server is missing.
 */
class FfmpegStreamSourceTest {

    /** Debian's python3 (with python3-gi), not a python of some other installation that lacks gi. */
    private static final String PYTHON = "/usr/bin/python3";
    static final String PACKAGES = "apt-get install ffmpeg gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base"
            + " gstreamer1.0-plugins-good python3-gi";

    @TempDir
    Path tmp;

    @Test
    void splitsFfmpegsImagePipeIntoJpegs() throws IOException {
        byte[] a = {(byte) 0xFF, (byte) 0xD8, 1, (byte) 0xFF, 0, 2, (byte) 0xFF, (byte) 0xD9};
        byte[] b = {(byte) 0xFF, (byte) 0xD8, 3, (byte) 0xFF, (byte) 0xD9};
        byte[] stream = new byte[a.length + b.length + 3];
        stream[0] = 7; // noise before the first image is skipped
        System.arraycopy(a, 0, stream, 1, a.length);
        System.arraycopy(b, 0, stream, 1 + a.length, b.length);
        stream[stream.length - 2] = (byte) 0xFF; // a cut-off image at the end is no image
        stream[stream.length - 1] = (byte) 0xD8;
        InputStream in = new ByteArrayInputStream(stream);
        assertArrayEquals(a, FfmpegStreamSource.nextJpeg(in));
        assertArrayEquals(b, FfmpegStreamSource.nextJpeg(in));
        assertNull(FfmpegStreamSource.nextJpeg(in));
    }

    @Test
    void aMissingFfmpegIsReportedNotFatal() throws Exception {
        try (FfmpegStreamSource source = new FfmpegStreamSource(tmp.resolve("no-ffmpeg").toString(),
                "rtsp://127.0.0.1:1/cam", "rtsp://127.0.0.1:1/cam")) {
            IOException e = awaitFailure(source);
            assertTrue(e.getMessage().contains("is ffmpeg installed?"), e.getMessage());
        }
    }

    @Test
    void pullsARealRtspStreamAndReconnectsAfterItBreaks() throws Exception {
        assumeTrue(works("ffmpeg", "-version"), "ffmpeg is not installed; skipped (" + PACKAGES + ")");
        assumeTrue(works(PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0');"
                + " from gi.repository import GstRtspServer"), "GStreamer's RTSP server for Python is not installed;"
                + " skipped (" + PACKAGES + ")");
        OpenCvNatives.load();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtsp://127.0.0.1:" + port + "/cam";
        Process server = serve(port);
        try (FfmpegStreamSource source = new FfmpegStreamSource("ffmpeg", url, url)) {
            Frame first = awaitFrame(source);
            Mat image = Imgcodecs.imdecode(new MatOfByte(first.read()), Imgcodecs.IMREAD_COLOR);
            assertEquals(320, image.cols(), "the camera's picture, decoded");
            assertEquals(240, image.rows());
            image.release();
            // the newest frame is handed out once
            List<Frame> again = pollQuietly(source);
            assertTrue(again.isEmpty() || again.get(0).capturedAt().isAfter(first.capturedAt()));

            stop(server);
            IOException broke = awaitFailure(source);
            assertTrue(broke.getMessage().contains("reconnecting with back-off"), broke.getMessage());

            server = serve(port);
            Frame afterReconnect = awaitFrame(source);
            assertTrue(afterReconnect.capturedAt().isAfter(first.capturedAt()), "frames again after the back-off");
        } finally {
            stop(server);
        }
    }

    private Process serve(int port) throws Exception {
        Path script = tmp.resolve("serve.py");
        try (InputStream in = getClass().getResourceAsStream("/rtsp/serve.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), String.valueOf(port)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("READY", line, "the RTSP server started");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException e) {
                // ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Frame awaitFrame(FrameSource source) throws Exception {
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Frame> f = pollQuietly(source);
            if (!f.isEmpty()) {
                return f.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no frame within 40 s");
    }

    private static IOException awaitFailure(FrameSource source) throws Exception {
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                source.poll();
            } catch (IOException e) {
                if (!e.getMessage().startsWith("not opened yet")) {
                    return e;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no failure reported within 40 s");
    }

    private static List<Frame> pollQuietly(FrameSource source) {
        try {
            return source.poll();
        } catch (IOException e) {
            return List.of();
        }
    }
}
