package com.rva.application.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One validated face crop as the collector sent it (DESIGN §5): where and when it was taken and the
 * aligned 112×112 JPEG. {@code duplicateId} is {@code storeId/cameraId/frameSeq/faceIndex}.
 */
public record CropSighting(String storeCode, String cameraCode, Instant capturedAt, long frameSeq, int faceIndex,
        float detScore, float quality, String duplicateId, String detectorModel, String collectorVersion,
        byte[] jpeg) {

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
