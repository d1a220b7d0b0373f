package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One line of the audit log: who did what, when (UTC). Never changed once written. */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private LocalDateTime occurredAt;

    @Column(nullable = false, length = 100)
    private String username;

    @Column(nullable = false, length = 64)
    private String action;

    @Column(nullable = false, length = 2000)
    private String detail;

    protected AuditEntry() {
    }

    public AuditEntry(LocalDateTime occurredAtUtc, String username, String action, String detail) {
        this.occurredAt = occurredAtUtc;
        this.username = username;
        this.action = action;
        this.detail = detail.length() > 2000 ? detail.substring(0, 1997) + "..." : detail;
    }

    public Long getId() {
        return id;
    }

    public LocalDateTime getOccurredAt() {
        return occurredAt;
    }

    public String getUsername() {
        return username;
    }

    public String getAction() {
        return action;
    }

    public String getDetail() {
        return detail;
    }
}
