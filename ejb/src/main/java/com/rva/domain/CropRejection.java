package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A crop the server refused permanently, kept so rejections are counted by reason. */
@Entity
@Table(name = "crop_rejection")
@NamedQuery(name = CropRejection.BY_DUPLICATE_ID,
        query = "SELECT r FROM CropRejection r WHERE r.duplicateId = :duplicateId ORDER BY r.id")
public class CropRejection {

    public static final String BY_DUPLICATE_ID = "CropRejection.byDuplicateId";

    /** Why a crop was refused. */
    public enum Reason {
        MISSING_PROPERTY, INVALID_PROPERTY, UNKNOWN_STORE, UNKNOWN_CAMERA, UNDECODABLE_IMAGE, BAD_IMAGE_SIZE,
        FUTURE_TIMESTAMP, NOT_A_BYTES_MESSAGE,
        /** A body far larger than any 112×112 JPEG; not decoded and not forwarded. */
        OVERSIZED_BODY,
        /** The broker authenticated the sender as a user that is not a collector of any store. */
        UNKNOWN_SENDER,
        /** The crop names another store than the one its authenticated sender belongs to. */
        STORE_MISMATCH,
        /** The face is an erased customer's: not enrolled again, not kept (docs/privacy.md). */
        ERASED_BLOCKED
    }

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 64)
    private Reason reason;

    @Column(nullable = false, length = 1000)
    private String detail;

    @Column(name = "duplicate_id", length = 300)
    private String duplicateId;

    @Column(name = "store_code", length = 64)
    private String storeCode;

    @Column(name = "received_at", nullable = false)
    private LocalDateTime receivedAt;

    protected CropRejection() {
    }

    public CropRejection(Reason reason, String detail, String duplicateId, String storeCode,
            LocalDateTime receivedAtUtc) {
        this.reason = reason;
        this.detail = truncate(detail, 1000);
        this.duplicateId = truncate(duplicateId, 300);
        this.storeCode = truncate(storeCode, 64);
        this.receivedAt = receivedAtUtc;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    public Long getId() {
        return id;
    }

    public Reason getReason() {
        return reason;
    }

    public String getDetail() {
        return detail;
    }

    public String getDuplicateId() {
        return duplicateId;
    }

    public String getStoreCode() {
        return storeCode;
    }

    public LocalDateTime getReceivedAt() {
        return receivedAt;
    }
}
