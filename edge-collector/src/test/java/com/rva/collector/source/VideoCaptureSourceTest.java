package com.rva.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.vision.OpenCvNatives;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;

/** A video file through OpenCV VideoCapture (built-in MJPEG backend): newest frame per tick, reopen when it ends. */
class VideoCaptureSourceTest {

    @TempDir
    Path tmp;

    @Test
    void handsOutTheNewestFrameOnceAndReopensAFileThatEnded() throws Exception {
        OpenCvNatives.load();
        Path video = tmp.resolve("door.avi");
        VideoWriter writer = new VideoWriter(video.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 20, new Size(160, 120));
        assertTrue(writer.isOpened(), "OpenCV can write MJPEG AVI");
        for (int i = 0; i < 20; i++) { // one second of video
            Mat m = new Mat(120, 160, CvType.CV_8UC3, new Scalar(i * 10, 100, 200));
            writer.write(m);
            m.release();
        }
        writer.release();

        try (VideoCaptureSource source = new VideoCaptureSource(video.toString(), null, "video:" + video, true)) {
            List<Frame> frames = awaitFrame(source);
            byte[] jpeg = frames.get(0).read();
            assertTrue((jpeg[0] & 0xff) == 0xff && (jpeg[1] & 0xff) == 0xd8, "a JPEG");
            // the same newest frame is not handed out twice
            List<Frame> again = pollQuietly(source);
            assertTrue(again.isEmpty() || !again.get(0).capturedAt().equals(frames.get(0).capturedAt()));
            // after one second the file has ended: reported as a failure until it is opened again
            IOException ended = awaitFailure(source);
            assertTrue(ended.getMessage().contains("ended"), ended.getMessage());
            assertTrue(!awaitFrame(source).isEmpty(), "frames again after the back-off");
        }
    }

    @Test
    void aStreamThatCannotBeOpenedIsReportedNotFatal() throws Exception {
        try (VideoCaptureSource source = new VideoCaptureSource(tmp.resolve("missing.avi").toString(), null,
                "video:missing.avi", true)) {
            IOException e = awaitFailure(source);
            assertTrue(e.getMessage().contains("missing.avi"), e.getMessage());
            assertEquals("video:missing.avi", source.describe());
        }
    }

    private static List<Frame> awaitFrame(VideoCaptureSource source) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Frame> f = pollQuietly(source);
            if (!f.isEmpty()) {
                return f;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no frame within 20 s");
    }

    private static IOException awaitFailure(VideoCaptureSource source) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                source.poll();
            } catch (IOException e) {
                if (!e.getMessage().startsWith("not opened yet")) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no failure reported within 20 s");
    }

    private static List<Frame> pollQuietly(VideoCaptureSource source) {
        try {
            return source.poll();
        } catch (IOException e) {
            return List.of();
        }
    }
}
