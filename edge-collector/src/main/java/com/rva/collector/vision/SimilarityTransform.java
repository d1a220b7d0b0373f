package com.rva.collector.vision;

/**
 * Least-squares 2-D similarity transform (rotation, uniform scale, translation; no reflection) mapping
 * source points onto destination points. For point sets that are not degenerate this is the Umeyama
 * solution that OpenCV's {@code FaceRecognizerSF.alignCrop} uses, written in closed form.
 */
final class SimilarityTransform {

    private SimilarityTransform() {
    }

    /**
     * @param src x,y pairs
     * @param dst x,y pairs, same count as {@code src}
     * @return the 2×3 row-major matrix {@code [a, -b, tx, b, a, ty]}
     */
    static double[] estimate(double[] src, double[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("need matching x,y pairs, at least two points");
        }
        int n = src.length / 2;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[2 * i];
            sy += src[2 * i + 1];
            dx += dst[2 * i];
            dy += dst[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = src[2 * i] - sx, py = src[2 * i + 1] - sy;
            double qx = dst[2 * i] - dx, qy = dst[2 * i + 1] - dy;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm < 1e-9) {
            throw new IllegalArgumentException("source points coincide");
        }
        double a = dot / norm;
        double b = cross / norm;
        double tx = dx - (a * sx - b * sy);
        double ty = dy - (b * sx + a * sy);
        return new double[] {a, -b, tx, b, a, ty};
    }

    /** The uniform scale of a matrix from {@link #estimate}. */
    static double scale(double[] m) {
        return Math.hypot(m[0], m[3]);
    }
}
