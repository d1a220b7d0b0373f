package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** The latest heartbeat of one collector: key figures as columns, the full report as the JSON it sent. */
@Entity
@Table(name = "collector_heartbeat")
@NamedQuery(name = CollectorHeartbeat.ALL, query = "SELECT h FROM CollectorHeartbeat h ORDER BY h.storeCode, h.collectorId")
public class CollectorHeartbeat {

    public static final String ALL = "CollectorHeartbeat.all";
    public static final int MAX_REPORT = 4000;

    @Id
    @Column(name = "collector_id", length = 100)
    private String collectorId;

    @Column(name = "store_code", nullable = false, length = 64)
    private String storeCode;

    @Column(length = 100)
    private String sender;

    @Column(name = "sent_at", nullable = false)
    private LocalDateTime sentAt;

    @Column(name = "received_at", nullable = false)
    private LocalDateTime receivedAt;

    @Column(nullable = false, length = 20)
    private String status;

    @Column(nullable = false)
    private long frames;

    @Column(nullable = false)
    private long faces;

    @Column(nullable = false)
    private long backlog;

    @Column(nullable = false)
    private long dropped;

    @Column(name = "oldest_undelivered")
    private LocalDateTime oldestUndelivered;

    @Column(name = "collector_version", length = 200)
    private String collectorVersion;

    @Column(nullable = false, length = MAX_REPORT)
    private String report;

    protected CollectorHeartbeat() {
    }

    public CollectorHeartbeat(String collectorId) {
        this.collectorId = collectorId;
    }

    /** Replaces the figures with a newer heartbeat's. */
    public void update(String storeCode, String sender, LocalDateTime sentAtUtc, LocalDateTime receivedAtUtc,
            String status, long frames, long faces, long backlog, long dropped, LocalDateTime oldestUndeliveredUtc,
            String collectorVersion, String report) {
        this.storeCode = storeCode;
        this.sender = sender;
        this.sentAt = sentAtUtc;
        this.receivedAt = receivedAtUtc;
        this.status = status;
        this.frames = frames;
        this.faces = faces;
        this.backlog = backlog;
        this.dropped = dropped;
        this.oldestUndelivered = oldestUndeliveredUtc;
        this.collectorVersion = collectorVersion;
        this.report = report.length() <= MAX_REPORT ? report : report.substring(0, MAX_REPORT);
    }

    public String getCollectorId() {
        return collectorId;
    }

    public String getStoreCode() {
        return storeCode;
    }

    public String getSender() {
        return sender;
    }

    public LocalDateTime getSentAt() {
        return sentAt;
    }

    public LocalDateTime getReceivedAt() {
        return receivedAt;
    }

    public String getStatus() {
        return status;
    }

    public long getFrames() {
        return frames;
    }

    public long getFaces() {
        return faces;
    }

    public long getBacklog() {
        return backlog;
    }

    public long getDropped() {
        return dropped;
    }

    public LocalDateTime getOldestUndelivered() {
        return oldestUndelivered;
    }

    public String getCollectorVersion() {
        return collectorVersion;
    }

    public String getReport() {
        return report;
    }
}
