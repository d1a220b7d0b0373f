package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A request to erase a customer; retention-purge carries it out (PENDING, then DONE). */
@Entity
@Table(name = "erasure_request")
public class ErasureRequest {

    public static final String PENDING = "PENDING";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(name = "customer_id", nullable = false)
    private long customerId;

    @Column(name = "requested_at", nullable = false)
    private LocalDateTime requestedAt;

    @Column(name = "requested_by", nullable = false, length = 100)
    private String requestedBy;

    @Column(length = 1000)
    private String reason;

    @Column(nullable = false, length = 20)
    private String status;

    @Column(name = "done_at")
    private LocalDateTime doneAt;

    @Column(name = "done_by_execution")
    private Long doneByExecution;

    protected ErasureRequest() {
    }

    public ErasureRequest(long customerId, LocalDateTime requestedAtUtc, String requestedBy, String reason) {
        this.customerId = customerId;
        this.requestedAt = requestedAtUtc;
        this.requestedBy = requestedBy;
        this.reason = reason;
        this.status = PENDING;
    }

    public Long getId() {
        return id;
    }

    public long getCustomerId() {
        return customerId;
    }

    public LocalDateTime getRequestedAt() {
        return requestedAt;
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public String getReason() {
        return reason;
    }

    public String getStatus() {
        return status;
    }

    public LocalDateTime getDoneAt() {
        return doneAt;
    }

    public Long getDoneByExecution() {
        return doneByExecution;
    }
}
