package com.rva.collector.vision;

import java.util.Optional;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.core.Core;
import org.opencv.imgproc.Imgproc;

/**
 * Decides whether a detected face is good enough to leave the store PC: minimum face size, detector score,
 * sharpness (variance of the Laplacian of the aligned grey crop) and frontal pose (from the five landmarks).
 * Every limit is a setting with a default; the defaults keep the labelled photos of {@code ../shared/faces}
 * and {@code ../shared/faces_wild} (docs/recognition.md) and drop profile views, tiny and smeared faces.
 * Immutable and thread-safe.
 *
 * @param minDetScore   faces with a lower YuNet score are rejected ({@link Reason#LOW_SCORE})
 * @param minFaceSizePx faces whose box (shorter side, full-resolution pixels) is smaller are rejected
 * @param minSharpness  aligned crops whose Laplacian variance is lower are rejected ({@link Reason#BLURRY})
 * @param maxYaw        faces whose nose sits further than this from the eyes' midpoint, in eye distances
 *                      along the eye line, are rejected ({@link Reason#NOT_FRONTAL}); 0 is frontal, a profile
 *                      is about 0.5 and more
 */
public record QualityGate(float minDetScore, int minFaceSizePx, double minSharpness, double maxYaw) {

    public static final float DEFAULT_MIN_DET_SCORE = 0.8f;
    public static final int DEFAULT_MIN_FACE_SIZE_PX = 40;
    public static final double DEFAULT_MIN_SHARPNESS = 30.0;
    public static final double DEFAULT_MAX_YAW = 0.6;

    /** Why a face was not sent. */
    public enum Reason {
        TOO_SMALL("face smaller than the minimum size"),
        LOW_SCORE("detector score below the minimum"),
        BLURRY("crop not sharp enough (variance of the Laplacian below the minimum)"),
        NOT_FRONTAL("head turned too far (nose off the eyes' midpoint)");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The measures the gate looked at, and its verdict. */
    public record Verdict(Optional<Reason> rejected, float quality, double sharpness, double yaw) {
        public boolean accepted() {
            return rejected.isEmpty();
        }
    }

    public QualityGate {
        if (!(minDetScore > 0 && minDetScore <= 1)) {
            throw new IllegalArgumentException("minimum detector score must be in (0, 1]: " + minDetScore);
        }
        if (minFaceSizePx < 1) {
            throw new IllegalArgumentException("minimum face size must be positive: " + minFaceSizePx);
        }
        if (!(minSharpness >= 0) || Double.isInfinite(minSharpness)) {
            throw new IllegalArgumentException("minimum sharpness must be 0 or more: " + minSharpness);
        }
        if (!(maxYaw > 0)) {
            throw new IllegalArgumentException("maximum yaw must be above 0: " + maxYaw);
        }
    }

    /** The shipped defaults. */
    public static QualityGate defaults() {
        return new QualityGate(DEFAULT_MIN_DET_SCORE, DEFAULT_MIN_FACE_SIZE_PX, DEFAULT_MIN_SHARPNESS, DEFAULT_MAX_YAW);
    }

    /** The defaults with another detector score and minimum size (the collector's older two settings). */
    public static QualityGate of(float minDetScore, int minFaceSizePx) {
        return new QualityGate(minDetScore, minFaceSizePx, DEFAULT_MIN_SHARPNESS, DEFAULT_MAX_YAW);
    }

    /** Checks that need no pixels: size and score. Empty when they pass. */
    public Optional<Reason> precheck(FaceCrop.Box box, float detScore) {
        if (box.minSide() < minFaceSizePx) {
            return Optional.of(Reason.TOO_SMALL);
        }
        if (detScore < minDetScore) {
            return Optional.of(Reason.LOW_SCORE);
        }
        return Optional.empty();
    }

    /**
     * The full verdict for a face whose size and score passed {@link #precheck}.
     *
     * @param aligned   the aligned 112×112 BGR crop
     * @param landmarks the five landmarks (x,y pairs) in any one coordinate frame
     */
    public Verdict judge(Mat aligned, float[] landmarks, float detScore) {
        double sharpness = sharpness(aligned);
        double yaw = yaw(landmarks);
        Optional<Reason> reason = Optional.empty();
        if (sharpness < minSharpness) {
            reason = Optional.of(Reason.BLURRY);
        } else if (Math.abs(yaw) > maxYaw) {
            reason = Optional.of(Reason.NOT_FRONTAL);
        }
        // 0..1: the detector's confidence, less for soft crops (up to twice the minimum) and for turned heads
        double sharp = minSharpness == 0 ? 1 : Math.min(1, sharpness / (2 * minSharpness));
        double frontal = 1 - 0.5 * Math.min(1, Math.abs(yaw) / maxYaw);
        float quality = (float) Math.max(0, Math.min(1, detScore * (0.5 + 0.5 * sharp) * frontal));
        return new Verdict(reason, quality, sharpness, yaw);
    }

    /**
     * Variance of the Laplacian of the grey inner face (eyes, nose, mouth of the aligned crop): low for blurred
     * or upscaled faces. The inner region keeps background and the black border of a face cut at the frame's
     * edge out of the measure.
     */
    public static double sharpness(Mat bgr) {
        Mat grey = new Mat();
        Mat lap = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        Mat inner = innerFace(bgr);
        try {
            Imgproc.cvtColor(inner, grey, Imgproc.COLOR_BGR2GRAY);
            Imgproc.Laplacian(grey, lap, CvType.CV_64F);
            Core.meanStdDev(lap, mean, std);
            double sd = std.toArray()[0];
            return sd * sd;
        } finally {
            inner.release();
            grey.release();
            lap.release();
            mean.release();
            std.release();
        }
    }

    /** The part of an aligned crop around the ArcFace landmarks (x 38–74, y 51–92 of 112), with a margin. */
    private static Mat innerFace(Mat aligned) {
        double fx = aligned.cols() / 112.0;
        double fy = aligned.rows() / 112.0;
        return aligned.submat(new Rect((int) Math.round(28 * fx), (int) Math.round(36 * fy),
                (int) Math.round(56 * fx), (int) Math.round(64 * fy)));
    }

    /**
     * Signed horizontal offset of the nose tip from the eyes' midpoint, measured along the eye line in eye
     * distances (landmarks: right eye, left eye, nose, right and left mouth corner).
     */
    public static double yaw(float[] l) {
        double ex = l[2] - l[0];
        double ey = l[3] - l[1];
        double eyeDistance = Math.hypot(ex, ey);
        if (eyeDistance < 1e-6) {
            return Double.POSITIVE_INFINITY;
        }
        double mx = (l[0] + l[2]) / 2;
        double my = (l[1] + l[3]) / 2;
        return ((l[4] - mx) * ex + (l[5] - my) * ey) / (eyeDistance * eyeDistance);
    }
}
