package com.rva.collector.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * What the collector reports about itself: the same snapshot feeds {@code GET /health} (JSON),
 * {@code GET /metrics} (Prometheus text) and the heartbeat to the server (JSON).
 *
 * @param pendingFrames frames analysed and handed over to be stored, not yet in the outbox (not yet safe)
 * @param pendingCrops  the crops of those frames
 * @param cameras       per camera, in configuration order
 */
public record CollectorStatus(String collectorId, String storeId, String collectorVersion, String detectorModel,
        Instant startedAt, Instant at, long backlog, long backlogBytes, long outboxCapBytes, Instant oldestUndelivered,
        long forwarded, boolean serverConnected, long pendingFrames, long pendingCrops, List<Camera> cameras) {

    /**
     * One camera's counters since the collector started.
     *
     * @param gateRejects faces the quality gate rejected, per reason ({@code TOO_SMALL}, {@code LOW_SCORE},
     *                    {@code BLURRY}, {@code NOT_FRONTAL}; every reason listed, in that order)
     */
    public record Camera(String id, String source, boolean ok, String lastError, Instant lastFrameAt, long frames,
            long faces, long cropsStored, long cropsDropped, long badFrames, long sourceFailures, long outboxFailures,
            Map<String, Long> gateRejects) {
    }

    /** Quality-gate rejections of all cameras, per reason. */
    public Map<String, Long> gateRejects() {
        Map<String, Long> total = new LinkedHashMap<>();
        for (Camera c : cameras) {
            c.gateRejects().forEach((reason, n) -> total.merge(reason, n, Long::sum));
        }
        return total;
    }

    public long frames() {
        return cameras.stream().mapToLong(Camera::frames).sum();
    }

    public long faces() {
        return cameras.stream().mapToLong(Camera::faces).sum();
    }

    public long dropped() {
        return cameras.stream().mapToLong(Camera::cropsDropped).sum();
    }

    /** ok while every camera works; degraded when one fails (the others go on). */
    public String state() {
        return cameras.stream().allMatch(Camera::ok) ? "ok" : "degraded";
    }

    /** The JSON of {@code GET /health} and of the heartbeat. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(512).append('{');
        field(sb, "collectorId", collectorId).append(',');
        field(sb, "storeId", storeId).append(',');
        field(sb, "status", state()).append(',');
        field(sb, "collectorVersion", collectorVersion).append(',');
        field(sb, "detectorModel", detectorModel).append(',');
        field(sb, "startedAt", startedAt.toString()).append(',');
        field(sb, "sentAt", at.toString()).append(',');
        sb.append("\"frames\":").append(frames()).append(',');
        sb.append("\"faces\":").append(faces()).append(',');
        sb.append("\"backlog\":").append(backlog).append(',');
        sb.append("\"backlogBytes\":").append(backlogBytes).append(',');
        sb.append("\"outboxCapBytes\":").append(outboxCapBytes).append(',');
        field(sb, "oldestUndelivered", oldestUndelivered == null ? null : oldestUndelivered.toString()).append(',');
        sb.append("\"forwarded\":").append(forwarded).append(',');
        sb.append("\"dropped\":").append(dropped()).append(',');
        sb.append("\"serverConnected\":").append(serverConnected).append(',');
        sb.append("\"pendingFrames\":").append(pendingFrames).append(',');
        sb.append("\"pendingCrops\":").append(pendingCrops).append(',');
        sb.append("\"rejects\":{");
        sb.append("\"badFrame\":").append(cameras.stream().mapToLong(Camera::badFrames).sum()).append(',');
        sb.append("\"sourceFailure\":").append(cameras.stream().mapToLong(Camera::sourceFailures).sum()).append(',');
        sb.append("\"outboxFull\":").append(dropped()).append(',');
        sb.append("\"outboxFailure\":").append(cameras.stream().mapToLong(Camera::outboxFailures).sum());
        gateRejects().forEach((reason, n) -> sb.append(',').append('"').append(reason).append("\":").append(n));
        sb.append("},\"cameras\":[");
        for (int i = 0; i < cameras.size(); i++) {
            Camera c = cameras.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append('{');
            field(sb, "id", c.id()).append(',');
            field(sb, "source", c.source()).append(',');
            field(sb, "status", c.ok() ? "ok" : "failing").append(',');
            field(sb, "lastError", c.lastError()).append(',');
            field(sb, "lastFrameAt", c.lastFrameAt() == null ? null : c.lastFrameAt().toString()).append(',');
            sb.append("\"frames\":").append(c.frames()).append(',');
            sb.append("\"faces\":").append(c.faces()).append(',');
            sb.append("\"cropsStored\":").append(c.cropsStored()).append(',');
            sb.append("\"cropsDropped\":").append(c.cropsDropped()).append(',');
            sb.append("\"badFrames\":").append(c.badFrames()).append(',');
            sb.append("\"sourceFailures\":").append(c.sourceFailures()).append(',');
            sb.append("\"gateRejects\":{");
            String sep = "";
            for (Map.Entry<String, Long> e : c.gateRejects().entrySet()) {
                // reasons are the gate's enum names: nothing to escape
                sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            sb.append("}}");
        }
        return sb.append("]}").toString();
    }

    /** Prometheus text exposition format 0.0.4. */
    public String toPrometheus() {
        StringBuilder sb = new StringBuilder(2048);
        String store = "store=\"" + label(storeId) + "\"";
        gauge(sb, "rva_collector_up", "1 while the collector runs", "{" + store + ",version=\""
                + label(collectorVersion) + "\"}", 1);
        gauge(sb, "rva_collector_start_time_seconds", "when the collector started", "{" + store + "}",
                startedAt.getEpochSecond());
        gauge(sb, "rva_collector_outbox_crops", "crops waiting in the outbox for the server", "{" + store + "}", backlog);
        gauge(sb, "rva_collector_outbox_bytes", "bytes the waiting crops occupy", "{" + store + "}", backlogBytes);
        gauge(sb, "rva_collector_outbox_cap_bytes", "the outbox disk cap (outbox.max-mb)", "{" + store + "}",
                outboxCapBytes);
        gauge(sb, "rva_collector_oldest_undelivered_seconds",
                "age of the oldest crop not yet acknowledged by the server (0 when none waits)", "{" + store + "}",
                oldestUndelivered == null ? 0 : Math.max(0, at.getEpochSecond() - oldestUndelivered.getEpochSecond()));
        gauge(sb, "rva_collector_server_connected", "1 while the outbox bridge is connected to the server",
                "{" + store + "}", serverConnected ? 1 : 0);
        gauge(sb, "rva_collector_pending_frames", "frames analysed, waiting to be stored in the outbox (not yet safe)",
                "{" + store + "}", pendingFrames);
        gauge(sb, "rva_collector_pending_crops", "crops of the frames waiting to be stored in the outbox",
                "{" + store + "}", pendingCrops);
        counter(sb, "rva_collector_crops_forwarded_total", "crops the server acknowledged since start",
                "{" + store + "}", forwarded);
        perCamera(sb, store, "rva_collector_frames_total", "frames processed", "counter", Camera::frames);
        perCamera(sb, store, "rva_collector_faces_total", "faces found", "counter", Camera::faces);
        perCamera(sb, store, "rva_collector_crops_stored_total", "crops stored in the outbox", "counter",
                Camera::cropsStored);
        perCamera(sb, store, "rva_collector_crops_dropped_total", "crops dropped at the outbox disk cap", "counter",
                Camera::cropsDropped);
        perCamera(sb, store, "rva_collector_bad_frames_total", "frames that could not be decoded or processed",
                "counter", Camera::badFrames);
        perCamera(sb, store, "rva_collector_source_failures_total", "failed attempts to read the camera source",
                "counter", Camera::sourceFailures);
        String gate = "rva_collector_gate_rejects_total";
        sb.append("# HELP ").append(gate).append(" faces the quality gate rejected, per camera and reason\n");
        sb.append("# TYPE ").append(gate).append(" counter\n");
        for (Camera c : cameras) {
            c.gateRejects().forEach((reason, n) -> sb.append(gate).append('{').append(store).append(",camera=\"")
                    .append(label(c.id())).append("\",reason=\"").append(label(reason)).append("\"} ").append(n)
                    .append('\n'));
        }
        perCamera(sb, store, "rva_collector_camera_up", "1 while the camera source works", "gauge",
                c -> c.ok() ? 1 : 0);
        return sb.toString();
    }

    private void perCamera(StringBuilder sb, String store, String name, String help, String type,
            java.util.function.ToLongFunction<Camera> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Camera c : cameras) {
            sb.append(name).append('{').append(store).append(",camera=\"").append(label(c.id())).append("\"} ")
                    .append(value.applyAsLong(c)).append('\n');
        }
    }

    private static void gauge(StringBuilder sb, String name, String help, String labels, long value) {
        metric(sb, name, help, "gauge", labels, value);
    }

    private static void counter(StringBuilder sb, String name, String help, String labels, long value) {
        metric(sb, name, help, "counter", labels, value);
    }

    private static void metric(StringBuilder sb, String name, String help, String type, String labels, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String label(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
