package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * Audit row of one identity-consolidation merge: customer {@code absorbed} became part of {@code survivor}.
 * What it moved is listed in {@code customer_merge_item}, so the merge can be undone; an undone merge keeps
 * its row with {@code undoneAt} set. Times are UTC.
 */
@Entity
@Table(name = "customer_merge")
@NamedQuery(name = CustomerMerge.RECENT, query = "SELECT m FROM CustomerMerge m ORDER BY m.mergedAt DESC, m.id DESC")
public class CustomerMerge {

    public static final String RECENT = "CustomerMerge.recent";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(name = "survivor_id", nullable = false)
    private long survivorId;

    @Column(name = "absorbed_id", nullable = false)
    private long absorbedId;

    @Column(nullable = false)
    private float similarity;

    @Column(name = "merge_threshold", nullable = false)
    private float mergeThreshold;

    @Column(name = "merged_at", nullable = false)
    private LocalDateTime mergedAt;

    @Column(name = "job_execution_id")
    private Long jobExecutionId;

    @Column(name = "undone_at")
    private LocalDateTime undoneAt;

    protected CustomerMerge() {
    }

    public CustomerMerge(long survivorId, long absorbedId, float similarity, float mergeThreshold,
            LocalDateTime mergedAtUtc, Long jobExecutionId) {
        this.survivorId = survivorId;
        this.absorbedId = absorbedId;
        this.similarity = similarity;
        this.mergeThreshold = mergeThreshold;
        this.mergedAt = mergedAtUtc;
        this.jobExecutionId = jobExecutionId;
    }

    public void undone(LocalDateTime atUtc) {
        this.undoneAt = atUtc;
    }

    public Long getId() {
        return id;
    }

    public long getSurvivorId() {
        return survivorId;
    }

    public long getAbsorbedId() {
        return absorbedId;
    }

    public float getSimilarity() {
        return similarity;
    }

    public float getMergeThreshold() {
        return mergeThreshold;
    }

    public LocalDateTime getMergedAt() {
        return mergedAt;
    }

    public Long getJobExecutionId() {
        return jobExecutionId;
    }

    public LocalDateTime getUndoneAt() {
        return undoneAt;
    }
}
