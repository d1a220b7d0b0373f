package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One matched face crop. {@code duplicateId} (unique) makes a redelivered crop count once. */
@Entity
@Table(name = "sighting")
@NamedQuery(name = Sighting.COUNT_BY_DUPLICATE_ID,
        query = "SELECT COUNT(s) FROM Sighting s WHERE s.duplicateId = :duplicateId")
@NamedQuery(name = Sighting.BY_DUPLICATE_ID, query = "SELECT s FROM Sighting s WHERE s.duplicateId = :duplicateId")
public class Sighting {

    public static final String COUNT_BY_DUPLICATE_ID = "Sighting.countByDuplicateId";
    public static final String BY_DUPLICATE_ID = "Sighting.byDuplicateId";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(name = "duplicate_id", nullable = false, unique = true, length = 300)
    private String duplicateId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id")
    private Customer customer;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id")
    private Store store;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "camera_id")
    private Camera camera;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "visit_id")
    private Visit visit;

    @Column(name = "captured_at", nullable = false)
    private LocalDateTime capturedAt;

    @Column(name = "received_at", nullable = false)
    private LocalDateTime receivedAt;

    @Column(nullable = false)
    private float similarity;

    @Column(name = "det_score", nullable = false)
    private float detScore;

    @Column(nullable = false)
    private float quality;

    protected Sighting() {
    }

    public Sighting(String duplicateId, Customer customer, Camera camera, LocalDateTime capturedAtUtc,
            LocalDateTime receivedAtUtc, float similarity, float detScore, float quality) {
        this.duplicateId = duplicateId;
        this.customer = customer;
        this.camera = camera;
        this.store = camera.getStore();
        this.capturedAt = capturedAtUtc;
        this.receivedAt = receivedAtUtc;
        this.similarity = similarity;
        this.detScore = detScore;
        this.quality = quality;
    }

    public void assignTo(Visit visit) {
        this.visit = visit;
    }

    public Long getId() {
        return id;
    }

    public String getDuplicateId() {
        return duplicateId;
    }

    public Customer getCustomer() {
        return customer;
    }

    public Store getStore() {
        return store;
    }

    public Camera getCamera() {
        return camera;
    }

    public Visit getVisit() {
        return visit;
    }

    public LocalDateTime getCapturedAt() {
        return capturedAt;
    }

    public float getSimilarity() {
        return similarity;
    }

    public LocalDateTime getReceivedAt() {
        return receivedAt;
    }

    public float getDetScore() {
        return detScore;
    }

    public float getQuality() {
        return quality;
    }
}
