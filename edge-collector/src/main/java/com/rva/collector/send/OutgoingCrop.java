package com.rva.collector.send;

import com.rva.contract.CropContract;
import java.time.Instant;

/** One face crop with everything its message carries (DESIGN §5). */
public record OutgoingCrop(String storeId, String cameraId, Instant capturedAt, long frameSeq, int faceIndex,
        float detScore, float quality, String detectorModel, String collectorVersion, byte[] jpeg) {

    public String duplicateId() {
        return CropContract.duplicateId(storeId, cameraId, frameSeq, faceIndex);
    }

    /** Same camera and frame: sent in one transaction. */
    boolean sameFrame(OutgoingCrop other) {
        return frameSeq == other.frameSeq && cameraId.equals(other.cameraId);
    }
}
