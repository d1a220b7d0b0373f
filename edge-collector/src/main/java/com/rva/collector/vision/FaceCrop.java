package com.rva.collector.vision;

/**
 * One aligned face found in a frame.
 *
 * @param index     index of the face in its frame (0-based, in detector order)
 * @param jpeg      the aligned {@code 112×112} crop, JPEG-encoded
 * @param detScore  YuNet score, 0..1
 * @param quality   quality-gate score, 0..1
 * @param box       face box in the coordinates of the full-resolution frame
 * @param landmarks 5 landmarks (right eye, left eye, nose tip, right and left mouth corner as x,y pairs)
 *                  in the coordinates of the full-resolution frame
 */
public record FaceCrop(int index, byte[] jpeg, float detScore, float quality, Box box, float[] landmarks) {

    /** An axis-aligned box. */
    public record Box(double x, double y, double width, double height) {
        public double minSide() {
            return Math.min(width, height);
        }
    }
}
