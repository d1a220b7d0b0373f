package com.rva.contract;

/**
 * Names of the destinations and message properties of the collector → server contract (DESIGN §5).
 * One JMS {@code BytesMessage} per face; the body is the aligned 112×112 crop as JPEG.
 */
public final class CropContract {

    /** Queue the collectors send crops to. */
    public static final String CROPS_QUEUE = "rva.crops";
    /** Queue that receives permanently invalid crops, with {@link #REJECT_REASON}. */
    public static final String REJECTED_QUEUE = "rva.crops.rejected";
    /** Queue for collector heartbeats. */
    public static final String HEARTBEATS_QUEUE = "rva.heartbeats";

    public static final String STORE_ID = "storeId";
    public static final String CAMERA_ID = "cameraId";
    public static final String CAPTURED_AT = "capturedAt";
    public static final String FRAME_SEQ = "frameSeq";
    public static final String FACE_INDEX = "faceIndex";
    public static final String DET_SCORE = "detScore";
    public static final String QUALITY = "quality";
    public static final String DETECTOR_MODEL = "detectorModel";
    public static final String COLLECTOR_VERSION = "collectorVersion";
    /** Artemis duplicate-detection property. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** JMS group: one store's crops are processed in order. */
    public static final String GROUP_ID = "JMSXGroupID";

    /** Set by the server on a message moved to {@link #REJECTED_QUEUE}. */
    public static final String REJECT_REASON = "rejectReason";

    /** Side of the aligned square crop, in pixels. */
    public static final int CROP_SIZE = 112;

    private CropContract() {
    }

    /** The duplicate id of a crop: {@code storeId/cameraId/frameSeq/faceIndex}. */
    public static String duplicateId(String storeId, String cameraId, long frameSeq, int faceIndex) {
        return storeId + '/' + cameraId + '/' + frameSeq + '/' + faceIndex;
    }
}
