package com.rva.collector.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.SharedFaces;
import com.rva.contract.CropContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class FaceCropperTest {

    private static FaceCropper cropper;

    @BeforeAll
    static void createCropper() {
        cropper = new FaceCropper(0.8f, 40);
    }

    @Test
    void headShotYieldsExactlyOneAligned112Crop() throws Exception {
        for (Path photo : SharedFaces.photos("amy")) {
            List<FaceCrop> crops = cropper.crop(photo);
            assertEquals(1, crops.size(), photo + " should give one face");
            FaceCrop crop = crops.get(0);
            assertEquals(0, crop.index());
            assertTrue(crop.detScore() >= 0.8f && crop.detScore() <= 1f, "score " + crop.detScore());
            assertTrue(crop.quality() >= 0f && crop.quality() <= 1f);
            assertJpegOfCropSize(crop.jpeg());
            // landmarks are in the photo's own coordinates: eyes above the mouth, all inside the 150 px image
            float[] l = crop.landmarks();
            for (float v : l) {
                assertTrue(v > 0 && v < 150, "landmark outside the photo: " + v);
            }
            assertTrue(l[1] < l[7] && l[3] < l[9], "eyes should be above the mouth corners");
        }
    }

    @Test
    void groupPhotosYieldSeveralCrops() throws Exception {
        for (Path photo : SharedFaces.photos("_group")) {
            List<FaceCrop> crops = cropper.crop(photo);
            assertTrue(crops.size() > 1, photo + " gave " + crops.size() + " crops");
            for (int i = 0; i < crops.size(); i++) {
                assertEquals(i, crops.get(i).index());
                assertJpegOfCropSize(crops.get(i).jpeg());
            }
        }
    }

    @Test
    void photosWithoutFacesYieldNoCrop() throws Exception {
        for (Path photo : SharedFaces.photos("_noface")) {
            assertEquals(List.of(), cropper.crop(photo), photo.toString());
        }
    }

    @Test
    void largeFrameIsDetectedDownscaledButLandmarksAreInFullResolution() throws Exception {
        Path photo = SharedFaces.dir().resolve("_resolution/obama-1080p.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(photo), "missing: " + photo);
        List<FaceCrop> crops = cropper.crop(photo);
        assertEquals(1, crops.size());
        FaceCrop.Box box = crops.get(0).box();
        Mat full = Imgcodecs.imread(photo.toString());
        try {
            assertTrue(full.cols() > FaceCropper.DETECT_MAX_SIDE);
            assertTrue(box.x() + box.width() <= full.cols() + 1 && box.y() + box.height() <= full.rows() + 1);
            // the same face found in the 480p copy sits at ~4/9 of the coordinates
            List<FaceCrop> small = cropper.crop(SharedFaces.dir().resolve("_resolution/obama-480p.jpg"));
            assertEquals(1, small.size());
            double ratio = box.width() / small.get(0).box().width();
            assertEquals(1080.0 / 480.0, ratio, 0.25, "box width ratio 1080p/480p");
        } finally {
            full.release();
        }
    }

    @Test
    void aLargeFaceIsAlignedFromTheShrunkPartOfTheFrameAsFromTheShrunkWholeFrame() throws Exception {
        Path photo = SharedFaces.dir().resolve("_resolution/obama-1080p.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(photo), "missing: " + photo);
        Mat frame = Imgcodecs.imread(photo.toString());
        Mat expected = null;
        Mat actual = null;
        try {
            float[] l = cropper.crop(frame).get(0).landmarks();
            double[] src = new double[10];
            for (int i = 0; i < 10; i++) {
                src[i] = l[i];
            }
            double[] reference = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299,
                92.2041};
            double[] m = SimilarityTransform.estimate(src, reference);
            double s = SimilarityTransform.scale(m);
            assertTrue(s < 0.5, "a face this large is aligned from a shrunk copy: " + s);
            int k = (int) Math.ceil(0.5 / s); // shrunk by a whole factor
            double f = 1.0 / k;
            org.opencv.core.Rect roi = FaceCropper.wholeBlocks(FaceCropper.warpSource(m, f, frame.cols(), frame.rows()), k);
            assertEquals(0, roi.width % k + roi.height % k, "whole " + k + "×" + k + " blocks: " + roi);
            assertTrue((double) roi.area() < 0.5 * frame.cols() * frame.rows(), "only part of the frame: " + roi);
            for (int i = 0; i < 5; i++) {
                assertTrue(roi.contains(new org.opencv.core.Point(l[2 * i], l[2 * i + 1])), "landmark in " + roi);
            }
            // what the collector did before: shrink the whole frame, then warp
            Mat shrunk = new Mat();
            Imgproc.resize(frame, shrunk, new Size(Math.round(frame.cols() * f), Math.round(frame.rows() * f)), 0, 0,
                    Imgproc.INTER_AREA);
            for (int i = 0; i < 5; i++) {
                src[2 * i] *= (double) shrunk.cols() / frame.cols();
                src[2 * i + 1] *= (double) shrunk.rows() / frame.rows();
            }
            Mat matrix = new Mat(2, 3, CvType.CV_64F);
            matrix.put(0, 0, SimilarityTransform.estimate(src, reference));
            expected = new Mat();
            Imgproc.warpAffine(shrunk, expected, matrix, new Size(112, 112), Imgproc.INTER_LINEAR);
            shrunk.release();
            matrix.release();
            actual = FaceCropper.align(frame, l);
            Mat diff = new Mat();
            Core.absdiff(expected, actual, diff);
            double meanDiff = Core.mean(diff).val[0];
            diff.release();
            assertTrue(meanDiff < 3, "the same crop up to resampling phase: mean difference " + meanDiff);
        } finally {
            frame.release();
            if (expected != null) {
                expected.release();
            }
            if (actual != null) {
                actual.release();
            }
        }
    }

    @Test
    void minimumFaceSizeDropsSmallFaces() throws Exception {
        Path photo = SharedFaces.photos("amy").get(0);
        FaceCropper strict = new FaceCropper(0.8f, 149);
        assertEquals(0, strict.crop(photo).size(), "a head shot's face is smaller than the whole 150 px photo");
    }

    @Test
    void undecodableFileGivesAClearError(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("frame-0001.jpg");
        Files.writeString(bogus, "this is not a JPEG", StandardCharsets.US_ASCII);
        FrameDecodeException e = assertThrows(FrameDecodeException.class, () -> cropper.crop(bogus));
        assertTrue(e.getMessage().contains("frame-0001.jpg") && e.getMessage().contains("not a decodable image"),
                e.getMessage());

        Path truncated = dir.resolve("truncated.jpg");
        Files.write(truncated, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
        assertThrows(FrameDecodeException.class, () -> cropper.crop(truncated));
        assertThrows(FrameDecodeException.class, () -> cropper.crop(new byte[0]));
    }

    @Test
    void similarityTransformRecoversAKnownTransform() {
        double angle = Math.toRadians(20), s = 1.7, tx = 12, ty = -5;
        double a = s * Math.cos(angle), b = s * Math.sin(angle);
        double[] src = {10, 20, 50, 22, 30, 45, 14, 70, 47, 71};
        double[] dst = new double[10];
        for (int i = 0; i < 5; i++) {
            dst[2 * i] = a * src[2 * i] - b * src[2 * i + 1] + tx;
            dst[2 * i + 1] = b * src[2 * i] + a * src[2 * i + 1] + ty;
        }
        double[] m = SimilarityTransform.estimate(src, dst);
        assertArrayEquals(new double[] {a, -b, tx, b, a, ty}, m, 1e-9);
        assertEquals(s, SimilarityTransform.scale(m), 1e-9);
    }

    private static void assertJpegOfCropSize(byte[] jpeg) {
        assertTrue(jpeg.length > 2 && (jpeg[0] & 0xff) == 0xff && (jpeg[1] & 0xff) == 0xd8, "not a JPEG");
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        try {
            assertFalse(decoded.empty());
            assertEquals(CropContract.CROP_SIZE, decoded.cols());
            assertEquals(CropContract.CROP_SIZE, decoded.rows());
        } finally {
            decoded.release();
        }
    }
}
