package com.rva.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.FaceDetectorYN;
import org.opencv.objdetect.FaceRecognizerSF;

import com.rva.models.ModelFile;

import nu.pattern.OpenCV;

/**
 * Test helper that makes aligned 112×112 face crops from photos the way a store collector does (DESIGN §3):
 * downscale so the long side is at most 640 px, YuNet detection, the 5-point similarity transform of
 * {@code FaceRecognizerSF.alignCrop} applied to the full-resolution photo, JPEG encoding. Runs outside the
 * server only (the server has no OpenCV). Not thread-safe.
 */
public final class FaceCropMaker implements AutoCloseable {

    /** JPEG quality of the crops this helper makes. */
    public static final int JPEG_QUALITY = 90;

    private static final int MAX_SIDE = 640;

    static {
        OpenCV.loadLocally();
    }

    private final FaceDetectorYN detector;
    private final FaceRecognizerSF aligner;
    private final Path recogniserFile;

    public FaceCropMaker() {
        detector = FaceDetectorYN.create("onnx", new MatOfByte(ModelFile.YUNET.load()), new MatOfByte(),
                new Size(320, 320), 0.6f, 0.3f, 5000);
        try {
            // alignCrop lives on the recogniser, which OpenCV only loads from a file
            recogniserFile = Files.createTempFile("rva-fr_feature", ".onnx");
            Files.write(recogniserFile, ModelFile.FR_FEATURE.load());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        aligner = FaceRecognizerSF.create(recogniserFile.toString(), "");
    }

    /** The largest face of the photo as an aligned 112×112 JPEG, or empty when no face is found. */
    public Optional<byte[]> jpegOfLargestFace(Path photo) {
        return alignedLargestFace(photo).map(FaceCropMaker::jpeg);
    }

    /** The largest face of the photo, aligned to 112×112 (BGR), or empty when no face is found. */
    public Optional<Mat> alignedLargestFace(Path photo) {
        Mat image = Imgcodecs.imread(photo.toString(), Imgcodecs.IMREAD_COLOR);
        if (image.empty()) {
            throw new IllegalArgumentException("OpenCV cannot read " + photo);
        }
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(image.cols(), image.rows()));
        Mat small = image;
        if (scale < 1.0) {
            small = new Mat();
            Imgproc.resize(image, small, new Size(Math.round(image.cols() * scale), Math.round(image.rows() * scale)),
                    0, 0, Imgproc.INTER_AREA);
        }
        detector.setInputSize(small.size());
        Mat faces = new Mat();
        detector.detect(small, faces);
        if (faces.rows() == 0) {
            return Optional.empty();
        }
        int best = 0;
        double bestArea = -1;
        for (int r = 0; r < faces.rows(); r++) {
            double area = faces.get(r, 2)[0] * faces.get(r, 3)[0];
            if (area > bestArea) {
                bestArea = area;
                best = r;
            }
        }
        // box and landmarks back to full-resolution coordinates; the score (column 14) stays
        Mat face = faces.row(best).clone();
        for (int c = 0; c < 14; c++) {
            face.put(0, c, face.get(0, c)[0] / scale);
        }
        Mat aligned = new Mat();
        aligner.alignCrop(image, face, aligned);
        return Optional.of(aligned);
    }

    /** JPEG bytes of an image at {@link #JPEG_QUALITY}. */
    public static byte[] jpeg(Mat image) {
        MatOfByte buffer = new MatOfByte();
        if (!Imgcodecs.imencode(".jpg", image, buffer, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY))) {
            throw new IllegalStateException("OpenCV could not encode a JPEG");
        }
        return buffer.toArray();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(recogniserFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
