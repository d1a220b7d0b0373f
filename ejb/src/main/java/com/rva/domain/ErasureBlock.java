package com.rva.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A template of an erased customer, kept only so the same face is not enrolled again. Deliberately nothing else:
 * no customer, no request, no time (docs/privacy.md).
 */
@Entity
@Table(name = "erasure_block")
@NamedQuery(name = ErasureBlock.BY_MODEL_VERSION,
        query = "SELECT b.id, b.embedding FROM ErasureBlock b WHERE b.modelVersion = :modelVersion ORDER BY b.id")
@NamedQuery(name = ErasureBlock.COUNT, query = "SELECT COUNT(b) FROM ErasureBlock b")
public class ErasureBlock {

    public static final String BY_MODEL_VERSION = "ErasureBlock.byModelVersion";
    public static final String COUNT = "ErasureBlock.count";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(name = "model_version", nullable = false, length = 64)
    private String modelVersion;

    @Column(nullable = false)
    private byte[] embedding;

    protected ErasureBlock() {
    }

    /** @param embedding the template's stored bytes (float32 little-endian, as {@link FaceTemplate}) */
    public ErasureBlock(String modelVersion, byte[] embedding) {
        this.modelVersion = modelVersion;
        this.embedding = embedding.clone();
    }

    public Long getId() {
        return id;
    }
}
