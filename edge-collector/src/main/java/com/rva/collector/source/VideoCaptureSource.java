package com.rva.collector.source;

import com.rva.collector.vision.OpenCvNatives;
import java.io.IOException;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream through OpenCV {@code VideoCapture}: a video file or a USB camera (device index), read by the
 * {@link LatestFrameSource} thread, which keeps only the newest frame (JPEG-encoded when a tick takes it). For a
 * file, "breaks" is "ends": it is opened again after the back-off. A file is read at its own frame rate, so it
 * plays like a live camera.
 */
public final class VideoCaptureSource extends LatestFrameSource<Mat> {

    private static final Logger LOG = LoggerFactory.getLogger(VideoCaptureSource.class);

    private final String target;
    private final Integer device;
    private final boolean file;

    /**
     * @param target      what VideoCapture opens (URL with credentials, or file path); never logged
     * @param device      a USB device index instead of {@code target}, or null
     * @param description what logs and /health show (no credentials)
     * @param file        a video file: read at its frame rate and reopened when it ends
     */
    public VideoCaptureSource(String target, Integer device, String description, boolean file) {
        super(description, "video");
        OpenCvNatives.load();
        this.target = target;
        this.device = device;
        this.file = file;
        start();
    }

    @Override
    protected String readStream() {
        VideoCapture capture = device != null ? new VideoCapture(device) : new VideoCapture(target);
        try {
            if (!capture.isOpened()) {
                return "cannot open " + description;
            }
            LOG.info("Video source {} opened ({})", description, capture.getBackendName());
            opened();
            double fps = capture.get(Videoio.CAP_PROP_FPS);
            long pauseMillis = file ? (long) (1000 / (fps > 0 && fps < 1000 ? fps : 25)) : 0;
            Mat frame = new Mat();
            try {
                while (running() && capture.read(frame) && !frame.empty()) {
                    offer(frame.clone());
                    if (pauseMillis > 0 && !pause(pauseMillis)) {
                        break;
                    }
                }
            } finally {
                frame.release();
            }
            return file ? "video file " + description + " ended" : "stream " + description + " broke";
        } finally {
            capture.release();
        }
    }

    @Override
    protected byte[] encode(Mat frame) throws IOException {
        MatOfByte buffer = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".jpg", frame, buffer)) {
                throw new IOException("OpenCV could not JPEG-encode a frame of " + description);
            }
            return buffer.toArray();
        } finally {
            buffer.release();
        }
    }

    @Override
    protected void discard(Mat frame) {
        frame.release();
    }
}
