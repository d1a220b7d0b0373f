package com.rva.collector.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.SharedFaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class QualityGateTest {

    @Test
    void yawIsZeroForAFrontalFaceAndGrowsAsTheNoseMovesTowardsOneEye() {
        // right eye, left eye, nose, mouth corners
        float[] frontal = {40, 50, 80, 50, 60, 70, 45, 90, 75, 90};
        float[] turned = {40, 50, 80, 50, 76, 70, 45, 90, 75, 90};
        assertEquals(0.0, QualityGate.yaw(frontal), 1e-9);
        assertEquals(0.4, QualityGate.yaw(turned), 1e-9);
        // the measure follows the eye line when the head is tilted (rotated 90°: eyes stacked vertically)
        float[] rotated = {50, 40, 50, 80, 30, 76, 10, 45, 10, 75};
        assertEquals(0.4, QualityGate.yaw(rotated), 1e-9);
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0f, 40, 20, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0.8f, 0, 20, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0.8f, 40, -1, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0.8f, 40, 20, 0));
    }

    @Test
    void sharpHeadShotsPassAndTheirBlurredCopiesAreRejectedAsBlurry() throws Exception {
        // a low score floor, so that only sharpness decides
        FaceCropper cropper = new FaceCropper(new QualityGate(0.5f, 40, QualityGate.DEFAULT_MIN_SHARPNESS,
                QualityGate.DEFAULT_MAX_YAW));
        for (Path photo : SharedFaces.photos("amy")) {
            FaceCropper.Result sharp = cropper.analyse(Files.readAllBytes(photo));
            assertEquals(1, sharp.crops().size(), photo + ": " + sharp.rejections());
            assertTrue(sharp.crops().get(0).quality() > 0.5f, "quality " + sharp.crops().get(0).quality());

            FaceCropper.Result blurred = cropper.analyse(blurred(photo));
            assertEquals(List.of(), blurred.crops(), photo + " blurred");
            assertEquals(QualityGate.Reason.BLURRY, blurred.rejections().get(0).reason(), blurred.rejections().toString());
        }
        Map<QualityGate.Reason, Long> counts = cropper.rejectionCounts();
        assertEquals(SharedFaces.photos("amy").size(), counts.get(QualityGate.Reason.BLURRY));
        assertEquals(0L, counts.get(QualityGate.Reason.NOT_FRONTAL));
    }

    @Test
    void facesBelowTheMinimumSizeAreCountedAsTooSmall() throws Exception {
        FaceCropper cropper = new FaceCropper(new QualityGate(0.8f, 5_000, 20, 0.6));
        Path photo = SharedFaces.photos("howard").get(0);
        FaceCropper.Result r = cropper.analyse(Files.readAllBytes(photo));
        assertEquals(List.of(), r.crops());
        assertEquals(Optional.of(QualityGate.Reason.TOO_SMALL), r.rejections().stream().findFirst().map(FaceCropper.Rejection::reason));
        assertEquals(r.rejections().size(), cropper.rejectionCounts().get(QualityGate.Reason.TOO_SMALL));
    }

    private static byte[] blurred(Path photo) {
        Mat image = Imgcodecs.imread(photo.toString());
        Mat out = new Mat();
        MatOfByte png = new MatOfByte();
        try {
            Imgproc.GaussianBlur(image, out, new Size(0, 0), 5);
            Imgcodecs.imencode(".png", out, png);
            return png.toArray();
        } finally {
            image.release();
            out.release();
            png.release();
        }
    }
}
