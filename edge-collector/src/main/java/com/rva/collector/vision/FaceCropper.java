package com.rva.collector.vision;

import com.rva.contract.CropContract;
import com.rva.models.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.FaceDetectorYN;

/**
 * Frame → aligned face crops: decode, downscale for detection, YuNet, 5-point alignment to the ArcFace
 * 112×112 template (cut from the full-resolution frame), {@link QualityGate}, JPEG. One crop per face that
 * passes the gate; the others are returned as {@link Rejection}s and counted per reason.
 *
 * <p>Independent of messaging so the evaluation command can run the very same pipeline on photos.
 * Thread-safe: detection is serialised on the one YuNet instance, the rest runs on the caller's thread.
 */
public final class FaceCropper {

    /** YuNet misses faces at high resolution: detect on a copy whose long side is at most this. */
    public static final int DETECT_MAX_SIDE = 640;
    public static final int JPEG_QUALITY = 95;

    /** ArcFace reference landmarks in the 112×112 crop (same as OpenCV's {@code FaceRecognizerSF.alignCrop}). */
    private static final double[] ARCFACE_REFERENCE = {
        38.2946, 51.6963,
        73.5318, 51.5014,
        56.0252, 71.7366,
        41.5493, 92.3655,
        70.7299, 92.2041,
    };
    private static final float NMS_THRESHOLD = 0.3f;
    private static final int TOP_K = 5000;
    /** Below this transform scale, bilinear warping skips pixels: shrink the source first. */
    private static final double MIN_WARP_SCALE = 0.5;

    /**
     * Below this YuNet score a detection is not a face at all; between it and the gate's minimum it is a face
     * rejected for {@link QualityGate.Reason#LOW_SCORE}.
     */
    private static final float DETECTION_FLOOR = 0.5f;

    /** A face that did not pass the quality gate. */
    public record Rejection(int detectionIndex, QualityGate.Reason reason, float detScore, FaceCrop.Box box) {
    }

    /** What the cropper found in one frame: crops to send and faces rejected by the gate. */
    public record Result(List<FaceCrop> crops, List<Rejection> rejections) {
    }

    /** The stages of {@link #analyse}, timed for {@code ./rva bench edge} (nanoseconds summed since start). */
    public enum Stage {
        /** JPEG/PNG → BGR ({@link #analyse(byte[])} only). */
        DECODE,
        /** Downscaling (when needed) and YuNet. */
        DETECT,
        /** Landmark scaling, alignment warp and the quality gate's sharpness and pose checks. */
        ALIGN_GATE,
        /** JPEG encoding of the accepted crops. */
        ENCODE
    }

    private final QualityGate gate;
    private final FaceDetectorYN detector;
    private final Map<QualityGate.Reason, LongAdder> rejected = new EnumMap<>(QualityGate.Reason.class);
    private final Map<Stage, LongAdder> stageNanos = new EnumMap<>(Stage.class);
    /** The crop encoder's reusable buffers and parameters, per thread (OpenCV Mats are not thread-safe). */
    private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

    /**
     * The shipped quality gate with another detector score and minimum size.
     *
     * @param scoreThreshold faces with a lower YuNet score are dropped (0..1)
     * @param minFaceSizePx  faces whose box is smaller (shorter side, full-resolution pixels) are dropped
     */
    public FaceCropper(float scoreThreshold, int minFaceSizePx) {
        this(QualityGate.of(scoreThreshold, minFaceSizePx));
    }

    public FaceCropper(QualityGate gate) {
        OpenCvNatives.load();
        this.gate = gate;
        for (QualityGate.Reason r : QualityGate.Reason.values()) {
            rejected.put(r, new LongAdder());
        }
        for (Stage st : Stage.values()) {
            stageNanos.put(st, new LongAdder());
        }
        MatOfByte model = new MatOfByte(ModelFile.YUNET.load());
        this.detector = FaceDetectorYN.create("onnx", model, new MatOfByte(), new Size(320, 320),
                Math.min(DETECTION_FLOOR, gate.minDetScore()), NMS_THRESHOLD, TOP_K);
        model.release();
    }

    public QualityGate gate() {
        return gate;
    }

    /** Faces rejected by the gate since this cropper was made, per reason (all cameras that share it). */
    public Map<QualityGate.Reason, Long> rejectionCounts() {
        Map<QualityGate.Reason, Long> counts = new EnumMap<>(QualityGate.Reason.class);
        rejected.forEach((reason, n) -> counts.put(reason, n.sum()));
        return counts;
    }

    /** Time spent per stage of {@link #analyse} since this cropper was made (all threads), in nanoseconds. */
    public Map<Stage, Long> stageNanos() {
        Map<Stage, Long> out = new EnumMap<>(Stage.class);
        stageNanos.forEach((stage, n) -> out.put(stage, n.sum()));
        return out;
    }

    /** The version recorded with every crop this cropper produces. */
    public static String detectorModel() {
        return ModelFile.YUNET.version();
    }

    /** Crops of the image file at {@code image}. */
    public List<FaceCrop> crop(Path image) throws IOException, FrameDecodeException {
        byte[] bytes = Files.readAllBytes(image);
        try {
            return crop(bytes);
        } catch (FrameDecodeException e) {
            throw new FrameDecodeException(image + ": " + e.getMessage(), e);
        }
    }

    /** Crops of an encoded image (JPEG, PNG, or any format OpenCV decodes). */
    public List<FaceCrop> crop(byte[] encoded) throws FrameDecodeException {
        Mat frame = decode(encoded);
        try {
            return crop(frame);
        } finally {
            frame.release();
        }
    }

    /** Crops of a decoded 8-bit BGR frame; the caller keeps ownership of {@code frame}. */
    public List<FaceCrop> crop(Mat frame) {
        return analyse(frame).crops();
    }

    /** Crops and rejections of an encoded image (JPEG, PNG, or any format OpenCV decodes). */
    public Result analyse(byte[] encoded) throws FrameDecodeException {
        long t0 = System.nanoTime();
        Mat frame = decode(encoded);
        stageNanos.get(Stage.DECODE).add(System.nanoTime() - t0);
        try {
            return analyse(frame);
        } finally {
            frame.release();
        }
    }

    /** Crops and rejections of a decoded 8-bit BGR frame; the caller keeps ownership of {@code frame}. */
    public Result analyse(Mat frame) {
        if (frame.empty() || frame.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR frame, got " + frame);
        }
        double scale = Math.min(1.0, (double) DETECT_MAX_SIDE / Math.max(frame.cols(), frame.rows()));
        long t0 = System.nanoTime();
        Mat faces = detect(frame, scale);
        long t1 = System.nanoTime();
        stageNanos.get(Stage.DETECT).add(t1 - t0);
        long encodeNanos = 0;
        try {
            List<FaceCrop> crops = new ArrayList<>();
            List<Rejection> rejections = new ArrayList<>();
            float[] row = new float[15];
            for (int r = 0; r < faces.rows(); r++) {
                faces.get(r, 0, row);
                float score = row[14];
                FaceCrop.Box box = new FaceCrop.Box(row[0] / scale, row[1] / scale, row[2] / scale, row[3] / scale);
                Optional<QualityGate.Reason> early = gate.precheck(box, score);
                if (early.isPresent()) {
                    reject(rejections, r, early.get(), score, box);
                    continue;
                }
                float[] landmarks = new float[10];
                for (int i = 0; i < 10; i++) {
                    landmarks[i] = (float) (row[4 + i] / scale);
                }
                Mat aligned = align(frame, landmarks);
                try {
                    QualityGate.Verdict verdict = gate.judge(aligned, landmarks, score);
                    if (!verdict.accepted()) {
                        reject(rejections, r, verdict.rejected().get(), score, box);
                        continue;
                    }
                    long e0 = System.nanoTime();
                    byte[] jpeg = ENCODER.get().encode(aligned);
                    encodeNanos += System.nanoTime() - e0;
                    crops.add(new FaceCrop(crops.size(), jpeg, score, verdict.quality(), box, landmarks));
                } finally {
                    aligned.release();
                }
            }
            return new Result(crops, rejections);
        } finally {
            faces.release();
            stageNanos.get(Stage.ENCODE).add(encodeNanos);
            stageNanos.get(Stage.ALIGN_GATE).add(System.nanoTime() - t1 - encodeNanos);
        }
    }

    /**
     * YuNet alone, exactly as {@link #analyse(Mat)} runs it (downscaled so the long side is at most
     * {@value #DETECT_MAX_SIDE} px), with no quality gate, alignment or encoding: the number of faces detected.
     * The baseline of {@code ./rva bench edge}.
     */
    public int detectOnly(Mat frame) {
        double scale = Math.min(1.0, (double) DETECT_MAX_SIDE / Math.max(frame.cols(), frame.rows()));
        Mat faces = detect(frame, scale);
        try {
            return faces.rows();
        } finally {
            faces.release();
        }
    }

    private void reject(List<Rejection> rejections, int detection, QualityGate.Reason reason, float score,
            FaceCrop.Box box) {
        rejected.get(reason).increment();
        rejections.add(new Rejection(detection, reason, score, box));
    }

    private Mat detect(Mat frame, double scale) {
        Mat small = frame;
        if (scale < 1.0) {
            small = new Mat();
            Size size = new Size(Math.max(1, Math.round(frame.cols() * scale)), Math.max(1, Math.round(frame.rows() * scale)));
            Imgproc.resize(frame, small, size, 0, 0, Imgproc.INTER_AREA);
        }
        Mat faces = new Mat();
        try {
            synchronized (detector) {
                detector.setInputSize(small.size());
                detector.detect(small, faces);
            }
        } finally {
            if (small != frame) {
                small.release();
            }
        }
        return faces;
    }

    /**
     * Warps the face to the ArcFace template, from the full frame — or, for a face so large that bilinear warping
     * would skip pixels, from a shrunk copy of the part of the frame the warp reads (not the whole frame).
     */
    static Mat align(Mat frame, float[] landmarks) {
        double[] src = new double[10];
        for (int i = 0; i < 10; i++) {
            src[i] = landmarks[i];
        }
        double[] m = SimilarityTransform.estimate(src, ARCFACE_REFERENCE);
        Mat source = frame;
        double s = SimilarityTransform.scale(m);
        if (s < MIN_WARP_SCALE) {
            // shrink by a whole factor k (the smallest that brings the warp's scale to at least MIN_WARP_SCALE), from
            // a part whose sides are multiples of k: OpenCV's fast path for INTER_AREA averages k×k blocks, several
            // times cheaper than area resampling by a fraction
            int k = (int) Math.ceil(MIN_WARP_SCALE / s);
            Rect roi = warpSource(m, 1.0 / k, frame.cols(), frame.rows());
            k = Math.min(k, Math.min(roi.width, roi.height));
            roi = wholeBlocks(roi, k);
            Mat part = frame.submat(roi);
            source = new Mat();
            try {
                Imgproc.resize(part, source, new Size(roi.width / k, roi.height / k), 0, 0, Imgproc.INTER_AREA);
            } finally {
                part.release();
            }
            double fx = (double) source.cols() / roi.width;
            double fy = (double) source.rows() / roi.height;
            for (int i = 0; i < 5; i++) {
                src[2 * i] = (src[2 * i] - roi.x) * fx;
                src[2 * i + 1] = (src[2 * i + 1] - roi.y) * fy;
            }
            m = SimilarityTransform.estimate(src, ARCFACE_REFERENCE);
        }
        Mat matrix = new Mat(2, 3, CvType.CV_64F);
        Mat crop = new Mat();
        try {
            matrix.put(0, 0, m);
            Imgproc.warpAffine(source, crop, matrix, new Size(CropContract.CROP_SIZE, CropContract.CROP_SIZE),
                    Imgproc.INTER_LINEAR);
            return crop;
        } finally {
            matrix.release();
            if (source != frame) {
                source.release();
            }
        }
    }

    /**
     * {@code roi} (at least {@code k} pixels each way) trimmed at its right and bottom edges to whole
     * {@code k}×{@code k} blocks: at most {@code k − 1} pixels, inside {@link #warpSource}'s margin of {@code 3k + 2}.
     */
    static Rect wholeBlocks(Rect roi, int k) {
        return new Rect(roi.x, roi.y, roi.width / k * k, roi.height / k * k);
    }

    /**
     * The part of a {@code cols}×{@code rows} frame that the crop square maps back to under {@code m} (frame →
     * crop), with a margin of a few pixels of the copy shrunk by {@code f} so bilinear sampling at the crop's edge
     * reads real pixels; clipped to the frame (outside it the warp gives black, as from the whole frame).
     */
    static Rect warpSource(double[] m, double f, int cols, int rows) {
        double det = m[0] * m[4] - m[1] * m[3];
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        int side = CropContract.CROP_SIZE;
        for (int corner = 0; corner < 4; corner++) {
            double u = (corner & 1) * side - m[2];
            double v = (corner >> 1) * side - m[5];
            double x = (m[4] * u - m[1] * v) / det;
            double y = (-m[3] * u + m[0] * v) / det;
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }
        double margin = 3 / f + 2;
        int x0 = (int) Math.max(0, Math.floor(minX - margin));
        int y0 = (int) Math.max(0, Math.floor(minY - margin));
        int x1 = (int) Math.min(cols, Math.ceil(maxX + margin));
        int y1 = (int) Math.min(rows, Math.ceil(maxY + margin));
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            return new Rect(0, 0, cols, rows); // the face lies off the frame: the whole frame, as before
        }
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * JPEG encoder of one thread: the output buffer and the quality parameter are made once and reused (a crop is
     * 112×112, so allocating and freeing native buffers per crop cost as much as the encoding).
     */
    private static final class Encoder {
        private final MatOfByte buffer = new MatOfByte();
        private final MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY);

        byte[] encode(Mat crop) {
            if (!Imgcodecs.imencode(".jpg", crop, buffer, params)) {
                throw new IllegalStateException("OpenCV could not JPEG-encode a face crop");
            }
            return buffer.toArray();
        }
    }

    /** Decodes an encoded image to 8-bit BGR (EXIF orientation applied). */
    public static Mat decode(byte[] encoded) throws FrameDecodeException {
        if (encoded == null || encoded.length == 0) {
            throw new FrameDecodeException("empty image: 0 bytes");
        }
        OpenCvNatives.load();
        MatOfByte buf = new MatOfByte(encoded);
        try {
            Mat frame = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
            if (frame == null || frame.empty()) {
                throw new FrameDecodeException("not a decodable image (" + encoded.length + " bytes, starts with "
                        + headHex(encoded) + "); expected JPEG or PNG");
            }
            return frame;
        } catch (CvException e) {
            throw new FrameDecodeException("OpenCV failed to decode the image (" + encoded.length + " bytes): "
                    + e.getMessage(), e);
        } finally {
            buf.release();
        }
    }

    private static String headHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
