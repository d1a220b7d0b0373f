package com.rva.domain;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDateTime;

import jakarta.persistence.Basic;
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
 * One embedding of a customer, stamped with the model version that produced it. Stored as
 * little-endian float32; never a raw image.
 */
@Entity
@Table(name = "face_template")
@NamedQuery(name = FaceTemplate.BY_MODEL_VERSION,
        query = "SELECT t FROM FaceTemplate t WHERE t.modelVersion = :modelVersion ORDER BY t.id")
@NamedQuery(name = FaceTemplate.COUNT_BY_MODEL_VERSION,
        query = "SELECT COUNT(t) FROM FaceTemplate t WHERE t.modelVersion = :modelVersion")
@NamedQuery(name = FaceTemplate.VECTORS_AFTER,
        query = "SELECT t.id, t.customer.id, t.embedding FROM FaceTemplate t"
                + " WHERE t.modelVersion = :modelVersion AND t.id > :after ORDER BY t.id")
@NamedQuery(name = FaceTemplate.KEPT_BY_CUSTOMER,
        query = "SELECT t.id, t.quality FROM FaceTemplate t"
                + " WHERE t.customer.id = :customerId AND t.modelVersion = :modelVersion ORDER BY t.id")
public class FaceTemplate {

    public static final String BY_MODEL_VERSION = "FaceTemplate.byModelVersion";
    public static final String COUNT_BY_MODEL_VERSION = "FaceTemplate.countByModelVersion";
    /** Rows of (template id, customer id, embedding bytes) after an id, for loading the gallery page by page. */
    /** Rows of (template id, quality) of one customer and model version. */
    public static final String KEPT_BY_CUSTOMER = "FaceTemplate.keptByCustomer";
    public static final String VECTORS_AFTER = "FaceTemplate.vectorsAfter";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id")
    private Customer customer;

    @Column(name = "model_version", nullable = false, length = 64)
    private String modelVersion;

    @Basic(fetch = FetchType.EAGER)
    @Column(nullable = false)
    private byte[] embedding;

    @Column(nullable = false)
    private float quality;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected FaceTemplate() {
    }

    public FaceTemplate(Customer customer, String modelVersion, float[] embedding, float quality,
            LocalDateTime createdAtUtc) {
        this.customer = customer;
        this.modelVersion = modelVersion;
        this.embedding = encode(embedding);
        this.quality = quality;
        this.createdAt = createdAtUtc;
    }

    public static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    public Long getId() {
        return id;
    }

    public Customer getCustomer() {
        return customer;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public float[] getEmbedding() {
        return decode(embedding);
    }

    public float getQuality() {
        return quality;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }
}
