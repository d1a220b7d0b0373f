package com.rva.domain;

import java.time.Duration;
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

/**
 * A run of sightings of one customer in one store with no gap longer than the visit gap. This is
 * what {@code total_appearances} counts. Times are UTC.
 */
@Entity
@Table(name = "visit")
@NamedQuery(name = Visit.TOUCHING, query = "SELECT v FROM Visit v WHERE v.customer = :customer AND v.store = :store"
        + " AND v.endedAt >= :from AND v.startedAt <= :to ORDER BY v.startedAt")
public class Visit {

    /** Visits of a customer in a store that overlap [from, to]. */
    public static final String TOUCHING = "Visit.touching";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id")
    private Customer customer;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id")
    private Store store;

    @Column(name = "started_at", nullable = false)
    private LocalDateTime startedAt;

    @Column(name = "ended_at", nullable = false)
    private LocalDateTime endedAt;

    @Column(name = "sighting_count", nullable = false)
    private int sightingCount;

    protected Visit() {
    }

    public Visit(Customer customer, Store store, LocalDateTime firstSightingUtc) {
        this.customer = customer;
        this.store = store;
        this.startedAt = firstSightingUtc;
        this.endedAt = firstSightingUtc;
    }

    /** Stretches the visit to cover a sighting at {@code capturedAtUtc} and counts it. */
    public void include(LocalDateTime capturedAtUtc) {
        if (capturedAtUtc.isBefore(startedAt)) {
            startedAt = capturedAtUtc;
        }
        if (capturedAtUtc.isAfter(endedAt)) {
            endedAt = capturedAtUtc;
        }
        sightingCount++;
    }

    public Duration dwell() {
        return Duration.between(startedAt, endedAt);
    }

    public Long getId() {
        return id;
    }

    public Customer getCustomer() {
        return customer;
    }

    public Store getStore() {
        return store;
    }

    public LocalDateTime getStartedAt() {
        return startedAt;
    }

    public LocalDateTime getEndedAt() {
        return endedAt;
    }

    public int getSightingCount() {
        return sightingCount;
    }
}
