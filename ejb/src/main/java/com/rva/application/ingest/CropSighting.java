package com.rva.application.ingest;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Objects;

/**
 * One validated face crop as the collector sent it (DESIGN §5): where and when it was taken and the
 * aligned 112×112 JPEG. {@code duplicateId} is {@code storeId/cameraId/frameSeq/faceIndex}. {@code image} is that
 * JPEG as validation decoded it (so the ingest does not decode it again), or null when nobody decoded it yet.
 */
public record CropSighting(String storeCode, String cameraCode, Instant capturedAt, long frameSeq, int faceIndex,
        float detScore, float quality, String duplicateId, String detectorModel, String collectorVersion,
        byte[] jpeg, BufferedImage image) {

    /** A crop whose JPEG is still to be decoded. */
    public CropSighting(String storeCode, String cameraCode, Instant capturedAt, long frameSeq, int faceIndex,
            float detScore, float quality, String duplicateId, String detectorModel, String collectorVersion,
            byte[] jpeg) {
        this(storeCode, cameraCode, capturedAt, frameSeq, faceIndex, detScore, quality, duplicateId, detectorModel,
                collectorVersion, jpeg, null);
    }

    public CropSighting {
        Objects.requireNonNull(storeCode, "storeCode");
        Objects.requireNonNull(cameraCode, "cameraCode");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(duplicateId, "duplicateId");
        Objects.requireNonNull(jpeg, "jpeg");
    }

    @Override
    public String toString() {
        return "CropSighting[" + duplicateId + " at " + capturedAt + ", " + jpeg.length + " bytes]";
    }
}
