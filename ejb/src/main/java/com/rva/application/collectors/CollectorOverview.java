package com.rva.application.collectors;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * One store collector as the admin sees it: its account (login, credentials) and its latest heartbeat. A row has an
 * account, a heartbeat or both (a heartbeat's sender is the account's login). Times are UTC.
 *
 * @param stale          no heartbeat, or the latest was sent more than {@link CollectorsService#STALE_AFTER} ago
 * @param rejects        the heartbeat's rejections by reason, all cameras (bad frames, source and outbox failures,
 *                       crops dropped at the disk cap, and the quality gate's reasons)
 * @param cameraRejects  quality-gate rejections per camera, then per reason
 */
public record CollectorOverview(String store, String login, LocalDateTime accountCreatedAt, LocalDateTime secretSetAt,
        String collectorId, LocalDateTime lastHeartbeatAt, LocalDateTime receivedAt, boolean stale, String status,
        long frames, long faces, long backlog, long dropped, LocalDateTime oldestUndelivered, String collectorVersion,
        String detectorModel, Map<String, Long> rejects, Map<String, Map<String, Long>> cameraRejects,
        List<CameraState> cameras) implements Serializable {

    /** A camera's state in the latest heartbeat. */
    public record CameraState(String id, String status, String lastError, String lastFrameAt) implements Serializable {
    }
}
